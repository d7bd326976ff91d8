package dev.gatehouse.devstack;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.URI;

/**
 * A Redis server: an embedded Redis 6.2 binary (started as a child process by embedded-redis, bound to 127.0.0.1,
 * persistence off because sessions in a dev stack may be lost), or an existing server given by a {@code redis://}
 * URI.
 */
public final class Redis implements AutoCloseable {

    private final RedisServer server;
    private final String uri;
    private final String host;
    private final int port;

    private Redis(RedisServer server, String uri, String host, int port) {
        this.server = server;
        this.uri = uri;
        this.host = host;
        this.port = port;
    }

    /** Starts an embedded Redis on 127.0.0.1:{@code port} without persistence. */
    public static Redis startEmbedded(int port) throws IOException {
        RedisServer server = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("daemonize no")
                .onShutdownForceStop(true)
                .build();
        server.start();
        return new Redis(server, "redis://127.0.0.1:" + port, "127.0.0.1", port);
    }

    /** Uses an existing server, e.g. {@code redis://127.0.0.1:6379}. */
    public static Redis attach(String uri) {
        URI parsed = URI.create(uri);
        if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme())) {
            throw new IllegalArgumentException("not a redis:// URI: " + uri);
        }
        return new Redis(null, uri, parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort());
    }

    /** The URI clients use, e.g. {@code redis://127.0.0.1:16379}. */
    public String uri() {
        return uri;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean isEmbedded() {
        return server != null;
    }

    /** Stops the embedded server; does nothing for an attached one. */
    @Override
    public void close() throws IOException {
        if (server != null && server.isActive()) {
            server.stop();
        }
    }

    @Override
    public String toString() {
        return (server != null ? "embedded " : "existing ") + "Redis " + uri;
    }
}
