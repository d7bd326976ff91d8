package dev.gatehouse.identity.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * identity-service on the real platform ({@link IdentityStack}) with Google played by a real OpenID Provider run
 * locally (mock-oauth2-server, issuer path {@code /google}), configured for seeds 000 and 003.
 */
public final class AppsFixture implements AutoCloseable {
    public static final String GOOGLE_CLIENT = "agenticpal-google-client";
    public static final String AP_CALLBACK = "https://api.agenticpal.test/auth/google/callback";
    public static final String FRONTEND = "http://localhost:3000";
    public static final String GAIA_WEB_CALLBACK = "https://api.gaia.test/api/v1/oauth/workos/callback";
    public static final String GAIA_DESKTOP_CALLBACK = "https://api.gaia.test/api/v1/oauth/workos/desktop/callback";
    public static final String GAIA_MOBILE_CALLBACK = "https://api.gaia.test/api/v1/oauth/workos/mobile/callback";
    public static final String GAIA_FRONTEND = "https://app.gaia.test";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** Interactive: every authorization shows the sign-in page, where the test signs in as a user would. */
    public final MockOAuth2Server google = new MockOAuth2Server(
            OAuth2Config.Companion.fromJson("{\"interactiveLogin\": true}"));
    /** Google's token endpoint as identity-service sees it: relays to the mock, or answers a queued refusal. */
    private final HttpServer tokenProxy;
    private final Queue<String> refusals = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();
    public final IdentityStack stack;
    public final String issuer;

    public AppsFixture(Map<String, Object> extra) {
        google.start();
        warmUp(google.wellKnownUrl("google").toString());
        tokenProxy = startTokenProxy(URI.create(google.tokenEndpointUrl("google").toString()));
        IdentityStack.Platform platform = IdentityStack.platform();
        issuer = platform.session().get("/.well-known/openid-configuration").json().path("issuer").asText();
        Map<String, Object> props = new HashMap<>();
        props.put("gatehouse.identity.upstream.providers.google.issuer", google.issuerUrl("google").toString());
        props.put("gatehouse.identity.upstream.providers.google.client-id", GOOGLE_CLIENT);
        props.put("gatehouse.identity.upstream.providers.google.client-secret", "google-secret-0123456789abcdef0123");
        props.put("gatehouse.identity.upstream.providers.google.redirect-uri", AP_CALLBACK);
        props.put("gatehouse.identity.upstream.providers.google.token-endpoint", "http://127.0.0.1:"
                + tokenProxy.getAddress().getPort() + "/token");
        props.put("gatehouse.identity.upstream.http-timeout", "30s");
        props.put("gatehouse.identity.vault.issuer", issuer);
        props.put("gatehouse.identity.agenticpal.enabled", "true");
        props.put("gatehouse.identity.agenticpal.redirect-uri", AP_CALLBACK);
        props.put("gatehouse.identity.agenticpal.frontend-url", FRONTEND);
        props.put("gatehouse.identity.agenticpal.allowed-redirect-origins", "https://app.agenticpal.test");
        props.put("gatehouse.identity.agenticpal.cookie-secure", "false");
        props.put("gatehouse.identity.gaia.enabled", "true");
        props.put("gatehouse.identity.gaia.web-callback-uri", GAIA_WEB_CALLBACK);
        props.put("gatehouse.identity.gaia.desktop-callback-uri", GAIA_DESKTOP_CALLBACK);
        props.put("gatehouse.identity.gaia.mobile-callback-uri", GAIA_MOBILE_CALLBACK);
        props.put("gatehouse.identity.gaia.frontend-url", GAIA_FRONTEND);
        props.put("gatehouse.identity.gaia.cookie-secure", "false");
        props.putAll(extra);
        stack = IdentityStack.start(props);
    }

    private HttpServer startTokenProxy(URI target) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/token", exchange -> {
                byte[] request = exchange.getRequestBody().readAllBytes();
                String form = new String(request, StandardCharsets.UTF_8);
                String grant = form.replaceAll(".*grant_type=([a-z_]+).*", "$1");
                tokenRequests.computeIfAbsent(grant, g -> new AtomicInteger()).incrementAndGet();
                int status;
                byte[] body;
                String refusal = refusals.poll();
                if (refusal != null) {
                    status = 400;
                    body = refusal.getBytes(StandardCharsets.UTF_8);
                } else {
                    HttpRequest.Builder forward = HttpRequest.newBuilder(target)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(request));
                    for (String header : new String[]{"Content-Type", "Authorization", "Accept"}) {
                        String value = exchange.getRequestHeaders().getFirst(header);
                        if (value != null) {
                            forward.header(header, value);
                        }
                    }
                    try {
                        HttpResponse<byte[]> answer = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                        status = answer.statusCode();
                        body = answer.body();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        status = 502;
                        body = new byte[0];
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Google's token endpoint refuses the next request with this OAuth error (RFC 6749 §5.2). */
    public void refuseNextTokenRequest(String error) {
        refusals.add("{\"error\":\"" + error + "\"}");
    }

    /** The mock's first answer takes seconds on a busy machine (template engine, JIT): take it here. */
    private static void warmUp(String url) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers a client at session-service unless it exists; returns its secret (confidential) or null. */
    public String client(Map<String, Object> spec) {
        var existing = stack.platformServices().session().get("/api/v1/clients/" + spec.get("clientId"),
                "Bearer " + stack.platformServices().adminToken());
        if (existing.status() == 200) {
            var rotated = stack.platformServices().session().postJson("/api/v1/clients/" + spec.get("clientId")
                    + "/secret", Map.of("overlapSeconds", 0), "Bearer " + stack.platformServices().adminToken());
            return rotated.status() == 200 ? rotated.json().path("clientSecret").asText() : null;
        }
        JsonNode created = stack.platformServices().registerClient(spec);
        return created.path("clientSecret").isTextual() ? created.path("clientSecret").asText() : null;
    }

    /**
     * Plays the user at Google: opens the authorization URL and, when Google shows its sign-in page (it does for
     * prompt=consent), signs in as {@code subject} with these claims. Returns the redirect back: its URL without
     * query under "redirect", and its query parameters.
     */
    public Map<String, String> signInAtGoogle(String authorizationUrl, String subject, String email) {
        try {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> answer = page;
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("email", email);
            claims.put("email_verified", true);
            claims.put("name", "Ada Lovelace");
            claims.put("picture", "https://lh3.googleusercontent.test/ada.png");
            if (page.statusCode() == 200) {
                String form = "username=" + enc(subject) + "&claims=" + enc(JSON.writeValueAsString(claims));
                answer = HTTP.send(HttpRequest.newBuilder(URI.create(authorizationUrl))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            }
            if (answer.statusCode() != 302) {
                throw new AssertionError("Google answered " + answer.statusCode() + ": " + answer.body());
            }
            return redirectParameters(answer.headers().firstValue("Location").orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> redirectParameters(String location) {
        URI uri = URI.create(location);
        Map<String, String> params = new HashMap<>();
        params.put("redirect", uri.getScheme() + ":" + (uri.getRawAuthority() == null ? "" : "//"
                + uri.getRawAuthority()) + (uri.getRawPath() == null ? "" : uri.getRawPath()));
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** The query string of a callback to identity-service with these parameters. */
    public static String query(Map<String, String> params, String... names) {
        List<String> pairs = new ArrayList<>();
        for (String name : names) {
            if (params.get(name) != null) {
                pairs.add(name + "=" + enc(params.get(name)));
            }
        }
        return String.join("&", pairs);
    }

    /** Forgets what Google's token endpoint was asked so far. */
    public void drainGoogleRequests() {
        tokenRequests.clear();
    }

    /** How many token requests with this grant Google received since the last drain. */
    public int googleTokenRequests(String grantType) {
        AtomicInteger count = tokenRequests.get(grantType);
        return count == null ? 0 : count.get();
    }

    public StackHttp browser() {
        return stack.newBrowser();
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stack.close();
        tokenProxy.stop(0);
        google.shutdown();
    }
}
