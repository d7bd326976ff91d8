package dev.gatehouse.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.contract.token.SessionCookie;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server with the internal APIs the gateway calls, as session-service and tenant-service answer them:
 * {@code POST /oauth2/token} (client_credentials, client_secret_basic), {@code POST /internal/v1/sessions/refresh}
 * (opens the sealed cookie, answers a new one with a fresh token minted by {@code mint}; 401 for ended sessions) and
 * {@code POST /internal/v1/organizations/provision}. Counts the calls.
 */
public final class InternalApis implements AutoCloseable {
    public static final String SERVICE_TOKEN = "service-token-for-tests";
    private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpServer server;
    private final SessionCookie.Sealer sealer;
    private final String clientSecret;
    private final Function<String, String> mint;
    public final AtomicInteger refreshCalls = new AtomicInteger();
    public final AtomicInteger provisionCalls = new AtomicInteger();
    public final AtomicInteger tokenCalls = new AtomicInteger();
    public final Set<String> endedSessions = ConcurrentHashMap.newKeySet();
    public volatile long refreshDelayMillis = 300;

    /** @param mint session id to a fresh access token of that session */
    public InternalApis(byte[] cookieKey, String clientSecret, Function<String, String> mint) {
        this.sealer = new SessionCookie.Sealer(cookieKey);
        this.clientSecret = clientSecret;
        this.mint = mint;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/oauth2/token", this::token);
        server.createContext("/internal/v1/sessions/refresh", this::refresh);
        server.createContext("/internal/v1/organizations/provision", this::provision);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public SessionCookie.Sealer sealer() {
        return sealer;
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenCalls.incrementAndGet();
        String expected = "Basic " + Base64.getEncoder().encodeToString(("gatehouse-gateway:" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                || !body.contains("grant_type=client_credentials") || !body.contains("scope=gatehouse%3Ainternal")) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        send(exchange, 200, "{\"access_token\":\"" + SERVICE_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    private void refresh(HttpExchange exchange) throws IOException {
        refreshCalls.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{}");
            return;
        }
        sleep(refreshDelayMillis);
        String sealed = field(body, "cookie");
        SessionCookie cookie = sealed == null ? null : sealer.open(sealed).orElse(null);
        if (cookie == null || endedSessions.contains(cookie.sessionId())) {
            send(exchange, 401, "{\"type\":\"unauthorized\"}");
            return;
        }
        String token = mint.apply(cookie.sessionId());
        String fresh = sealer.seal(new SessionCookie(cookie.sessionId(), cookie.handle(), token));
        send(exchange, 200, "{\"sessionId\":\"" + cookie.sessionId() + "\",\"accessToken\":\"" + token
                + "\",\"expiresIn\":300,\"cookie\":\"" + fresh + "\"}");
    }

    private void provision(HttpExchange exchange) throws IOException {
        provisionCalls.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{}");
            return;
        }
        sleep(200);
        send(exchange, 201, "{\"id\":\"org_prov_" + field(body, "externalId") + "\"}");
    }

    private static String field(String json, String name) {
        Matcher m = STRING_FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
