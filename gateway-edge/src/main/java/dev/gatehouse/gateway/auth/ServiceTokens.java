package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.route.GatewayRoutesConfig;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's own access token ({@code client_credentials} of {@code gatehouse-gateway}, scope
 * {@code gatehouse:internal}) for session-service's and tenant-service's internal APIs. Cached until 30 s before it
 * expires; concurrent callers share one token request.
 */
@Singleton
public class ServiceTokens {
    static final String SCOPE = "gatehouse:internal";
    private final AuthConfig config;
    private final URI tokenEndpoint;
    private final HttpClient http;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicReference<CompletableFuture<Token>> current = new AtomicReference<>();

    private record Token(String value, Instant refreshAt) {
    }

    public ServiceTokens(AuthConfig config, GatewayRoutesConfig routes, HttpClient http, JsonMapper json, Clock clock) {
        this.config = config;
        URI session = routes.upstreams().get("session").getFirst();
        this.tokenEndpoint = config.tokenEndpoint() != null ? config.tokenEndpoint()
                : URI.create(session.toString().replaceAll("/+$", "") + "/oauth2/token");
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    /** Whether a client secret is configured (without it, refresh and provisioning are off). */
    public boolean configured() {
        return config.clientSecret() != null && !config.clientSecret().isBlank();
    }

    /** A valid service access token. */
    public CompletableFuture<String> token() {
        while (true) {
            CompletableFuture<Token> existing = current.get();
            if (existing != null && (!existing.isDone() || usable(existing))) {
                return existing.thenApply(Token::value);
            }
            var fresh = new CompletableFuture<Token>();
            if (current.compareAndSet(existing, fresh)) {
                fetch().whenComplete((token, error) -> {
                    if (error != null) {
                        current.compareAndSet(fresh, null);
                        fresh.completeExceptionally(error);
                    } else {
                        fresh.complete(token);
                    }
                });
                return fresh.thenApply(Token::value);
            }
        }
    }

    /** Drops the cached token (after a 401 from an internal API). */
    public void invalidate() {
        current.set(null);
    }

    private boolean usable(CompletableFuture<Token> done) {
        if (done.isCompletedExceptionally()) {
            return false;
        }
        return clock.instant().isBefore(done.join().refreshAt());
    }

    private CompletableFuture<Token> fetch() {
        if (!configured()) {
            return CompletableFuture.failedFuture(new IOException("gatehouse.gateway.auth.client-secret is not set"));
        }
        String basic = Base64.getEncoder().encodeToString((form(config.clientId()) + ":" + form(config.clientSecret()))
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + form(SCOPE)))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token endpoint answered " + response.statusCode());
            }
            try {
                JsonNode body = json.readValue(response.body(), JsonNode.class);
                String token = body.get("access_token").getStringValue();
                long expiresIn = body.get("expires_in") == null ? 60 : body.get("expires_in").getLongValue();
                return new Token(token, clock.instant().plusSeconds(Math.max(5, expiresIn - 30)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("token endpoint answered an unreadable body", e);
            }
        });
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
