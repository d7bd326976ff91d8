package dev.gatehouse.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP upstream (JDK HttpServer): answers 200 with {@code {"path":...,"method":...}} and counts the requests
 * that reached it. {@code extraHeaders} are added to every answer (to check what the gateway does with them).
 */
public final class EchoUpstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger hits = new AtomicInteger();
    private final Map<String, String> extraHeaders = new ConcurrentHashMap<>();

    private EchoUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static EchoUpstream start() {
        try {
            return new EchoUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int hits() {
        return hits.get();
    }

    public void answerWith(String header, String value) {
        extraHeaders.put(header, value);
    }

    public void reset() {
        hits.set(0);
        extraHeaders.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            hits.incrementAndGet();
            byte[] body = ("{\"path\":\"" + exchange.getRequestURI().getRawPath() + "\",\"method\":\""
                    + exchange.getRequestMethod() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
            extraHeaders.forEach((name, value) -> exchange.getResponseHeaders().put(name, List.of(value)));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
