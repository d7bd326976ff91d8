package dev.gatehouse.gateway.proxy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP server standing in for a Gatehouse service: records every request, answers a canned response. */
final class StubUpstream implements AutoCloseable {

    /** One request as it arrived over the wire. */
    record Recorded(String method, String path, String query, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the stub answers; {@code chunked} streams the body without a Content-Length. */
    record Canned(int status, Map<String, String> headers, byte[] body, Duration delay, boolean chunked) {
        static Canned ok(String name) {
            return new Canned(200, Map.of("Content-Type", "application/json"),
                    ("{\"upstream\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8), Duration.ZERO, false);
        }
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile Canned canned;

    private StubUpstream(String name) throws IOException {
        this.name = name;
        this.canned = Canned.ok(name);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static StubUpstream start(String name) {
        try {
            return new StubUpstream(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void answer(Canned response) {
        this.canned = response;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    Recorded onlyRequest() {
        List<Recorded> all = requests();
        if (all.size() != 1) {
            throw new AssertionError(name + " received " + all.size() + " requests, expected 1: " + all);
        }
        return all.getFirst();
    }

    void reset() {
        requests.clear();
        canned = Canned.ok(name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            URI uri = exchange.getRequestURI();
            requests.add(new Recorded(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders(), in.readAllBytes()));
            Canned response = canned;
            if (!response.delay().isZero()) {
                Thread.sleep(response.delay());
            }
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            long length = response.body().length == 0 ? -1 : response.chunked() ? 0 : response.body().length;
            exchange.sendResponseHeaders(response.status(), length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
