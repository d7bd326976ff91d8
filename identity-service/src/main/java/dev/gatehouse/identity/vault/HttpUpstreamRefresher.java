package dev.gatehouse.identity.vault;

import dev.gatehouse.identity.upstream.ProviderSettings;
import dev.gatehouse.identity.upstream.UpstreamProviders;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refreshes at the configured upstream provider's token endpoint (RFC 6749 §6) with {@code client_secret_basic}
 * (RFC 6749 §2.3.1: both parts form-encoded). The endpoint is the provider's {@code tokenEndpoint} setting, else
 * the {@code token_endpoint} of its OpenID discovery document (fetched once).
 */
@Singleton
public class HttpUpstreamRefresher implements UpstreamRefresher {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final UpstreamProviders providers;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, URI> discovered = new ConcurrentHashMap<>();

    public HttpUpstreamRefresher(UpstreamProviders providers, JsonMapper json) {
        this.providers = providers;
        this.json = json;
    }

    @Override
    public Outcome refresh(String provider, String refreshToken) {
        Optional<ProviderSettings> settings = providers.byName(provider).map(p -> p.settings());
        if (settings.isEmpty()) {
            return new Unavailable("provider " + provider + " is not configured");
        }
        try {
            URI endpoint = tokenEndpoint(settings.get());
            String credentials = form(settings.get().clientId()) + ":" + form(settings.get().clientSecret());
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                            + form(refreshToken)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<?, ?> body = parse(response.body());
            if (response.statusCode() == 200 && body.get("access_token") instanceof String access && !access.isBlank()) {
                return new Refreshed(access, body.get("refresh_token") instanceof String r && !r.isBlank() ? r : null,
                        body.get("expires_in") instanceof Number n ? n.longValue() : null,
                        body.get("scope") instanceof String s ? s : null);
            }
            if (response.statusCode() >= 400 && response.statusCode() < 500 && body.get("error") instanceof String e) {
                return new Rejected(e.replaceAll("[^A-Za-z0-9_.-]", "")); // the code only: descriptions may echo input
            }
            return new Unavailable("token endpoint answered HTTP " + response.statusCode());
        } catch (IOException e) {
            return new Unavailable("token endpoint unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unavailable("interrupted");
        }
    }

    private URI tokenEndpoint(ProviderSettings settings) throws IOException, InterruptedException {
        if (settings.tokenEndpoint() != null) {
            return settings.tokenEndpoint();
        }
        URI known = discovered.get(settings.name());
        if (known != null) {
            return known;
        }
        String issuer = settings.issuer().toString().replaceAll("/+$", "");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(issuer + "/.well-known/openid-configuration")).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !(parse(response.body()).get("token_endpoint") instanceof String endpoint)) {
            throw new IOException("discovery of " + issuer + " failed");
        }
        URI uri = URI.create(endpoint);
        discovered.put(settings.name(), uri);
        return uri;
    }

    private Map<?, ?> parse(String body) {
        try {
            Object value = json.readValue(body, Object.class);
            return value instanceof Map<?, ?> map ? map : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
