package dev.gatehouse.session.oauth;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.devstack.RealServers;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.ClientSpec;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Shared plumbing of the authorization-server tests: registering clients straight through the registry, and talking
 * to the running server over real HTTP (java.net.http, so nothing of Micronaut's client hides a wire detail).
 */
public abstract class OAuthServerTest implements RealServers {
    protected static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).build();
    public static final String INTERNAL_SCOPE = "gatehouse:internal";

    @Inject
    protected EmbeddedServer server;
    @Inject
    protected ClientRegistry clients;

    @Override
    public String serviceName() {
        return "session-service";
    }

    /** A registered client and its secret (null for public clients). */
    public record TestClient(String id, String secret) {
        public String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret))
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected TestClient register(ClientSpec spec) {
        var problems = spec.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.toString());
        }
        var created = (ClientRegistry.Created) clients.create(spec, "api");
        return new TestClient(created.client().clientId(), created.secret());
    }

    protected static ClientSpec spec(String id, String type, List<String> grants, List<String> scopes,
                                     List<String> audiences, List<String> redirectUris) {
        return new ClientSpec(id, type, "Test " + id, redirectUris, List.of(), grants, scopes, audiences, null,
                null, null, null, null, null);
    }

    /** A service (like identity-service) allowed to call the internal API. */
    protected TestClient internalService() {
        return register(spec(unique("svc"), "confidential", List.of("client_credentials"), List.of(INTERNAL_SCOPE),
                List.of("gatehouse"), List.of()));
    }

    protected String serviceToken(TestClient service) throws Exception {
        var response = post("/oauth2/token", form("grant_type", "client_credentials"), service.basic());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.body());
        }
        return (String) json(response).get("access_token");
    }

    protected static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    protected static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    protected static String encodeForm(Map<String, String> form) {
        return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    protected HttpResponse<String> post(String path, Map<String, String> form, String authorization) throws Exception {
        return postRaw(path, encodeForm(form), authorization);
    }

    protected HttpResponse<String> postRaw(String path, String body, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> postJson(String path, String json, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String path, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> send(String method, String path, String json, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected URI uri(String path) {
        return server.getURI().resolve(path);
    }

    protected static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSONObjectUtils.parse(response.body());
    }

    protected static JWTClaimsSet claims(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    protected static String typ(String jwt) throws Exception {
        var type = JWSObject.parse(jwt).getHeader().getType();
        return type == null ? null : type.getType();
    }
}
