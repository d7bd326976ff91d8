package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.route.GatewayRoutesConfig;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Transparent refresh of browser sessions through session-service ({@code POST /internal/v1/sessions/refresh} with
 * the gateway's service token), single-flight per cookie value: concurrent requests carrying the same cookie share
 * one call, and requests still carrying it for {@link #REUSE_SECONDS} afterwards reuse its answer.
 */
@Singleton
public class SessionRefresher {
    static final long REUSE_SECONDS = 60;

    /** A fresh sealed cookie and its access token. */
    public record Refreshed(String cookie, String accessToken) {
    }

    /** session-service says the session is over (401/404): the cookie is dead. */
    public static final class SessionEnded extends RuntimeException {
        SessionEnded(int status) {
            super("session-service answered " + status, null, false, false);
        }
    }

    private final URI endpoint;
    private final ServiceTokens tokens;
    private final HttpClient http;
    private final JsonMapper json;
    private final AuthConfig config;
    private final Map<String, CompletableFuture<Refreshed>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    public SessionRefresher(GatewayRoutesConfig routes, ServiceTokens tokens, HttpClient http, JsonMapper json,
                            AuthConfig config) {
        this.endpoint = URI.create(routes.upstreams().get("session").getFirst().toString().replaceAll("/+$", "")
                + "/internal/v1/sessions/refresh");
        this.tokens = tokens;
        this.http = http;
        this.json = json;
        this.config = config;
    }

    /** A refresh of {@code sealedCookie}, shared with every concurrent caller holding the same value. */
    public CompletableFuture<Refreshed> refresh(String sealedCookie) {
        String key = digest(sealedCookie);
        CompletableFuture<Refreshed> existing = inFlight.get(key);
        if (existing != null) {
            return existing;
        }
        var mine = new CompletableFuture<Refreshed>();
        existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            return existing;
        }
        call(sealedCookie).orTimeout(config.refreshTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((refreshed, error) -> {
                    if (error != null) {
                        inFlight.remove(key, mine);
                        mine.completeExceptionally(error instanceof java.util.concurrent.CompletionException c
                                && c.getCause() != null ? c.getCause() : error);
                    } else {
                        mine.complete(refreshed);
                        CompletableFuture.delayedExecutor(REUSE_SECONDS, TimeUnit.SECONDS)
                                .execute(() -> inFlight.remove(key, mine));
                    }
                });
        return mine;
    }

    /** Refresh calls made to session-service (metrics, tests). */
    public int calls() {
        return calls.get();
    }

    private CompletableFuture<Refreshed> call(String sealedCookie) {
        calls.incrementAndGet();
        return tokens.token().thenCompose(token -> {
            byte[] body;
            try {
                body = json.writeValueAsBytes(Map.of("cookie", sealedCookie));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(config.refreshTimeout())
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                int status = response.statusCode();
                if (status == 401 || status == 404 || status == 410) {
                    if (status == 401) {
                        tokens.invalidate();
                    }
                    throw new SessionEnded(status);
                }
                if (status != 200) {
                    throw new IllegalStateException("session-service answered " + status);
                }
                try {
                    JsonNode tree = json.readValue(response.body(), JsonNode.class);
                    return new Refreshed(tree.get("cookie").getStringValue(), tree.get("accessToken").getStringValue());
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("session-service answered an unreadable body", e);
                }
            });
        });
    }

    private static String digest(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
