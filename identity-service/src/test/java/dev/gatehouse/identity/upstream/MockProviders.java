package dev.gatehouse.identity.upstream;

import com.sun.net.httpserver.HttpServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real OpenID Provider run locally (no.nav.security:mock-oauth2-server) playing google, microsoft and any generic
 * OIDC issuer (each issuer is a path: {@code http://localhost:port/google}), plus a small HTTP server playing
 * GitHub's REST API. The authorization endpoint answers at once (no login page) with a redirect carrying the code.
 */
public final class MockProviders implements AutoCloseable {
    public static final URI REDIRECT = URI.create("https://app.example.test/auth/callback");
    public static final URI DESKTOP_REDIRECT = URI.create("http://127.0.0.1:53682/callback");
    private final MockOAuth2Server server = new MockOAuth2Server();
    private final HttpServer githubApi;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** What GitHub's /user/emails answers: [address, verified]. */
    public final AtomicReference<List<Object[]>> githubEmails = new AtomicReference<>(List.of());

    public MockProviders() {
        server.start();
        try {
            githubApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        githubApi.createContext("/user", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String body;
            int status = 200;
            if (auth == null || !auth.startsWith("Bearer ") || auth.length() < 20) {
                status = 401;
                body = "{\"message\":\"Requires authentication\"}";
            } else if (exchange.getRequestURI().getPath().equals("/user/emails")) {
                StringBuilder json = new StringBuilder("[");
                for (Object[] email : githubEmails.get()) {
                    json.append(json.length() > 1 ? "," : "").append("{\"email\":\"").append(email[0])
                            .append("\",\"primary\":true,\"verified\":").append(email[1]).append('}');
                }
                body = json.append(']').toString();
            } else {
                body = "{\"id\":583231,\"login\":\"octocat\",\"name\":\"The Octocat\","
                        + "\"avatar_url\":\"https://avatars.githubusercontent.com/u/583231\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        // an OpenID Provider whose discovery document names another issuer than the one it is fetched for
        githubApi.createContext("/impostor/.well-known/openid-configuration", exchange -> {
            byte[] bytes = ("{\"issuer\":\"https://elsewhere.example\",\"authorization_endpoint\":"
                    + "\"https://elsewhere.example/authorize\",\"token_endpoint\":\"https://elsewhere.example/token\","
                    + "\"jwks_uri\":\"https://elsewhere.example/jwks\",\"response_types_supported\":[\"code\"],"
                    + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        githubApi.start();
    }

    public URI issuer(String issuerId) {
        return URI.create(server.issuerUrl(issuerId).toString());
    }

    /** An issuer whose discovery document names another issuer. */
    public URI impostorIssuer() {
        return URI.create("http://127.0.0.1:" + githubApi.getAddress().getPort() + "/impostor");
    }

    public MockOAuth2Server server() {
        return server;
    }

    public ProviderSettings oidc(String name, ProviderKind kind, String issuerId, String organization) {
        return new ProviderSettings(name, kind, organization, issuer(issuerId), name + "-client",
                name + "-secret-0123456789abcdef0123456789", null, REDIRECT, DESKTOP_REDIRECT, null, null, null, null,
                null);
    }

    public ProviderSettings github() {
        return new ProviderSettings("github", ProviderKind.GITHUB, null, null, "github-client",
                // the mock's authorization endpoint insists on openid; GitHub itself ignores unknown scopes
                "github-secret-0123456789abcdef0123456789", List.of("openid", "read:user", "user:email"), REDIRECT, DESKTOP_REDIRECT,
                URI.create(server.authorizationEndpointUrl("github").toString()),
                URI.create(server.tokenEndpointUrl("github").toString()), null,
                URI.create("http://127.0.0.1:" + githubApi.getAddress().getPort()), null);
    }

    /** The next token request to {@code issuerId} signs in {@code subject} with these extra ID token claims. */
    public void nextUser(String issuerId, String subject, String audience, Map<String, Object> claims) {
        nextUser(issuerId, subject, audience, claims, 3600);
    }

    /** The same with the tokens' lifetime in seconds (negative: already expired). */
    public void nextUser(String issuerId, String subject, String audience, Map<String, Object> claims,
                         long expirySeconds) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(audience),
                claims, expirySeconds));
    }

    public static Map<String, Object> email(String address, boolean verified) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", address);
        claims.put("email_verified", verified);
        claims.put("name", "Ada Lovelace");
        return claims;
    }

    /**
     * Plays the browser at the provider: follows the authorization URL and returns the query parameters of the
     * redirect back (code, state...).
     */
    public Map<String, String> authorize(URI authorizationUrl) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(authorizationUrl).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 302) {
                throw new AssertionError("the provider answered " + response.statusCode() + ": " + response.body());
            }
            URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
            Map<String, String> params = new HashMap<>();
            params.put("redirect", location.getScheme() + "://" + location.getAuthority() + location.getPath());
            for (String pair : location.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return params;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        githubApi.stop(0);
        server.shutdown();
    }
}
