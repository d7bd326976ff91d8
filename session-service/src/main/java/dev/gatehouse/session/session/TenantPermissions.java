package dev.gatehouse.session.session;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.contract.token.Claims;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.keys.TokenSigner;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
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
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Effective permissions from tenant-service ({@code GET /internal/v1/organizations/{org}/members/{user}/permissions}),
 * enabled by {@code gatehouse.session.tenant-url}. session-service authenticates with a short-lived service token it
 * signs for itself (it is the issuer; scope {@code gatehouse:internal}). Answers are cached for
 * {@link #CACHE_TTL}, so a role change reaches tokens minted at most that much later. A user who is not a member
 * gets no permissions; tenant-service being unreachable is an error ({@link PermissionsUnavailableException}, 503),
 * never a token with silently missing permissions.
 */
@Singleton
@Requires(property = "gatehouse.session.tenant-url")
public class TenantPermissions implements PermissionSource {
    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final Duration SERVICE_TOKEN_TTL = Duration.ofMinutes(5);
    private static final int MAX_CACHED = 50_000;
    private static final Argument<Map<String, Object>> BODY = Argument.mapOf(String.class, Object.class);

    private final URI tenant;
    private final TokenSigner signer;
    private final ServerConfig config;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile ServiceToken serviceToken;

    private record Cached(Set<String> permissions, long expiresAtNanos) {
    }

    private record ServiceToken(String value, Instant renewAt) {
    }

    public TenantPermissions(@Value("${gatehouse.session.tenant-url}") URI tenant, TokenSigner signer,
                             ServerConfig config, JsonMapper json, Clock clock) {
        this.tenant = tenant;
        this.signer = signer;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Set<String> permissions(String userId, @Nullable String organizationId) {
        if (organizationId == null) {
            return Set.of();
        }
        String key = organizationId + "\u0000" + userId;
        long now = System.nanoTime();
        Cached cached = cache.get(key);
        if (cached != null && now - cached.expiresAtNanos < 0) {
            return cached.permissions;
        }
        Set<String> permissions = fetch(userId, organizationId);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, new Cached(permissions, now + CACHE_TTL.toNanos()));
        return permissions;
    }

    private Set<String> fetch(String userId, String organizationId) {
        URI uri = tenant.resolve("/internal/v1/organizations/" + encode(organizationId) + "/members/"
                + encode(userId) + "/permissions");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3))
                    .header("Authorization", "Bearer " + serviceToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PermissionsUnavailableException("tenant-service unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PermissionsUnavailableException("interrupted");
        }
        if (response.statusCode() == 404) {
            return Set.of();
        }
        if (response.statusCode() != 200) {
            throw new PermissionsUnavailableException("tenant-service answered " + response.statusCode());
        }
        try {
            Object list = json.readValue(response.body(), BODY).get("permissions");
            Set<String> permissions = new LinkedHashSet<>();
            if (list instanceof List<?> names) {
                for (Object name : names) {
                    if (name instanceof String s) {
                        permissions.add(s);
                    }
                }
            }
            return Set.copyOf(permissions);
        } catch (IOException | RuntimeException e) {
            throw new PermissionsUnavailableException("unreadable answer from tenant-service");
        }
    }

    private String serviceToken() {
        ServiceToken current = serviceToken;
        Instant now = clock.instant();
        if (current == null || now.isAfter(current.renewAt())) {
            Instant exp = now.plus(SERVICE_TOKEN_TTL);
            var claims = new JWTClaimsSet.Builder()
                    .issuer(config.issuer().toString())
                    .subject("session-service")
                    .audience(config.apiAudience())
                    .issueTime(Date.from(now))
                    .notBeforeTime(Date.from(now))
                    .expirationTime(Date.from(exp))
                    .jwtID(UUID.randomUUID().toString())
                    .claim(Claims.CLIENT_ID, "session-service")
                    .claim(Claims.SCOPE, "gatehouse:internal")
                    .build();
            current = new ServiceToken(signer.sign(claims, new com.nimbusds.jose.JOSEObjectType(
                    Claims.ACCESS_TOKEN_TYPE)), exp.minus(Duration.ofMinutes(1)));
            serviceToken = current;
        }
        return current.value();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
