package dev.gatehouse.identity.platform;

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
import java.util.Base64;
import java.util.Map;

/**
 * identity-service's own access token for the platform's internal APIs: the client_credentials grant at
 * session-service's token endpoint with scope {@value #SCOPE}, cached until a minute before it expires (or until a
 * 401 invalidates it). One token request at a time.
 */
@Singleton
public class ServiceToken {
    public static final String SCOPE = "gatehouse:internal";
    private static final Duration EARLY = Duration.ofSeconds(60);
    private final PlatformConfig config;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Cached cached;

    private record Cached(String value, Instant renewAt) {
    }

    public ServiceToken(PlatformConfig config, JsonMapper json, Clock clock) {
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** A valid service token (cached or fresh). */
    public String get() {
        Cached current = cached;
        if (current != null && clock.instant().isBefore(current.renewAt())) {
            return current.value();
        }
        synchronized (this) {
            current = cached;
            if (current == null || !clock.instant().isBefore(current.renewAt())) {
                current = fetch();
                cached = current;
            }
            return current.value();
        }
    }

    /** Forget the cached token (after a 401). */
    public void invalidate() {
        cached = null;
    }

    private Cached fetch() {
        if (config.clientSecret() == null || config.clientSecret().isBlank()) {
            throw new PlatformUnavailableException("gatehouse.identity.platform.client-secret is not set");
        }
        URI uri = config.requireSessionUrl().resolve("/oauth2/token");
        String basic = Base64.getEncoder().encodeToString((form(config.clientId()) + ":" + form(config.clientSecret()))
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(config.timeoutMillis()))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + form(SCOPE)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PlatformUnavailableException("session-service token endpoint unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformUnavailableException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new PlatformUnavailableException("the service token was refused (" + response.statusCode()
                    + "); check gatehouse.identity.platform.client-id/-secret");
        }
        try {
            Map<String, Object> body = json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
            String token = (String) body.get("access_token");
            long expiresIn = ((Number) body.getOrDefault("expires_in", 300)).longValue();
            Instant renewAt = clock.instant().plusSeconds(expiresIn).minus(EARLY);
            if (token == null) {
                throw new PlatformUnavailableException("no access_token in the token response");
            }
            return new Cached(token, renewAt);
        } catch (IOException | ClassCastException e) {
            throw new PlatformUnavailableException("unreadable token response", e);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
