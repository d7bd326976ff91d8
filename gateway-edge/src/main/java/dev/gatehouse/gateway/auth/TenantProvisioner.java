package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.route.GatewayRoutesConfig;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first sight of an {@code org_id} of a trusted external issuer has tenant-service provision that tenant
 * ({@code POST /internal/v1/organizations/provision}, idempotent), once per replica: concurrent requests share the
 * call, later ones reuse the answer (the Gatehouse organization id). A failed call is forgotten so the next request
 * tries again.
 */
@Singleton
public class TenantProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TenantProvisioner.class);
    private final URI endpoint;
    private final ServiceTokens tokens;
    private final HttpClient http;
    private final JsonMapper json;
    private final Map<String, CompletableFuture<String>> known = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    public TenantProvisioner(GatewayRoutesConfig routes, ServiceTokens tokens, HttpClient http, JsonMapper json) {
        this.endpoint = URI.create(routes.upstreams().get("tenant").getFirst().toString().replaceAll("/+$", "")
                + "/internal/v1/organizations/provision");
        this.tokens = tokens;
        this.http = http;
        this.json = json;
    }

    /** The Gatehouse organization id of {@code externalId} at {@code issuer}, provisioning the tenant if new. */
    public CompletableFuture<String> organizationOf(String issuer, String externalId) {
        String key = issuer + "\n" + externalId;
        CompletableFuture<String> existing = known.get(key);
        if (existing != null) {
            return existing;
        }
        var mine = new CompletableFuture<String>();
        existing = known.putIfAbsent(key, mine);
        if (existing != null) {
            return existing;
        }
        provision(issuer, externalId).whenComplete((id, error) -> {
            if (error != null) {
                known.remove(key, mine);
                LOG.warn("provisioning the tenant of an external organization failed: {}", error.toString());
                mine.completeExceptionally(error);
            } else {
                mine.complete(id);
            }
        });
        return mine;
    }

    /** How many provisioning calls this replica made (metrics, tests). */
    public int calls() {
        return calls.get();
    }

    private CompletableFuture<String> provision(String issuer, String externalId) {
        calls.incrementAndGet();
        return tokens.token().thenCompose(token -> {
            byte[] body;
            try {
                body = json.writeValueAsBytes(Map.of("externalId", externalId, "issuer", issuer));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                if (response.statusCode() == 401) {
                    tokens.invalidate();
                }
                if (response.statusCode() != 200 && response.statusCode() != 201) {
                    throw new IllegalStateException("tenant-service answered " + response.statusCode());
                }
                try {
                    return json.readValue(response.body(), JsonNode.class).get("id").getStringValue();
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("tenant-service answered an unreadable body", e);
                }
            });
        });
    }
}
