package dev.gatehouse.identity.gaia;

import dev.gatehouse.identity.platform.PlatformConfig;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Opens a desktop or mobile app's authorization request at session-service's {@code /oauth2/authorize} (code flow,
 * PKCE S256, public client) on the app's behalf. session-service checks the client and the exact redirect URI and
 * parks the request under a login challenge; identity-service signs the user in upstream and then accepts the
 * challenge, which yields the app's deep link with a one-time code (docs/oauth.md, "Authorization code flow").
 */
@Singleton
public class AppAuthorization {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final PlatformConfig platform;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public AppAuthorization(PlatformConfig platform) {
        this.platform = platform;
    }

    public sealed interface Opened {
    }

    /** The request is valid and waits for the user under {@code loginChallenge}. */
    public record Challenge(String loginChallenge) implements Opened {
        @Override
        public String toString() {
            return "Challenge[]";
        }
    }

    /** session-service answered with an error redirect to the app's (registered) redirect URI. */
    public record ErrorRedirect(URI location) implements Opened {
    }

    /** The client or the redirect URI is not registered (never redirected to). */
    public record Refused(String detail) implements Opened {
    }

    public Opened open(String clientId, String redirectUri, List<String> scopes, String codeChallenge,
                       String codeChallengeMethod, @Nullable String state) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", redirectUri);
        query.put("scope", String.join(" ", scopes));
        query.put("code_challenge", codeChallenge);
        query.put("code_challenge_method", codeChallengeMethod);
        if (state != null) {
            query.put("state", state);
        }
        URI uri = URI.create(platform.requireSessionUrl().toString().replaceAll("/+$", "") + "/oauth2/authorize?"
                + query.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&")));
        HttpResponse<Void> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new dev.gatehouse.identity.platform.PlatformUnavailableException("session-service is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.gatehouse.identity.platform.PlatformUnavailableException("interrupted");
        }
        if (response.statusCode() == 302 || response.statusCode() == 303) {
            URI location = URI.create(response.headers().firstValue("Location").orElse(""));
            String challenge = parameter(location, "login_challenge");
            return challenge != null ? new Challenge(challenge) : new ErrorRedirect(location);
        }
        if (response.statusCode() >= 400 && response.statusCode() < 500) {
            return new Refused("the client or its redirect_uri is not registered");
        }
        throw new dev.gatehouse.identity.platform.PlatformUnavailableException(
                "session-service answered HTTP " + response.statusCode() + " to the authorization request");
    }

    @Nullable
    static String parameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
