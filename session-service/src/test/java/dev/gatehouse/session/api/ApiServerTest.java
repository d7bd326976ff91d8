package dev.gatehouse.session.api;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.session.client.ClientSpec;
import dev.gatehouse.session.oauth.OAuthServerTest;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plumbing shared by the API tests of this package: the kinds of client they need (a web app, a resource server, a
 * platform-admin service), user sessions opened through the internal API the way identity-service opens them, and
 * assertions on problem+json answers. Abstract: surefire runs only its subclasses.
 */
abstract class ApiServerTest extends OAuthServerTest {
    static final String API = "https://api.example.com";
    static final String CALLBACK = "https://app.example.com/callback";
    static final String SIGNED_OUT = "https://app.example.com/signed-out";
    static final List<String> USER_SCOPES = List.of("openid", "profile", "email", "offline_access");

    private String internalToken;

    /** Every field of a spec; lists may be empty, the rest null for the server defaults. */
    static ClientSpec clientSpec(String id, String type, List<String> grants, List<String> scopes,
                                 List<String> audiences, List<String> redirectUris, List<String> postLogoutRedirectUris,
                                 String resourceAudience, Boolean platformAdmin) {
        return new ClientSpec(id, type, "Test " + id, redirectUris, postLogoutRedirectUris, grants, scopes, audiences,
                resourceAudience, null, null, null, null, platformAdmin);
    }

    /** A confidential web app whose user tokens are for {@value #API} and Gatehouse's own API. */
    TestClient webClient() {
        return register(clientSpec(unique("web"), "confidential", List.of("authorization_code", "refresh_token"),
                USER_SCOPES, List.of(API, "gatehouse"), List.of(CALLBACK), List.of(SIGNED_OUT), null, null));
    }

    /** A resource server that may introspect tokens whose {@code aud} contains {@code audience}. */
    TestClient resourceServer(String audience) {
        return register(clientSpec(unique("rs"), "confidential", List.of("client_credentials"), List.of(),
                List.of("urn:" + unique("self")), List.of(), List.of(), audience, null));
    }

    /** A confidential service client whose client_credentials tokens carry {@code platform_admin}. */
    TestClient platformAdminClient() {
        return register(clientSpec(unique("admin"), "confidential", List.of("client_credentials"), List.of(),
                List.of("gatehouse"), List.of(), List.of(), null, true));
    }

    String adminToken() throws Exception {
        return serviceToken(platformAdminClient());
    }

    /** A service token with {@code gatehouse:internal}, as identity-service holds one. */
    String internalToken() throws Exception {
        if (internalToken == null) {
            internalToken = serviceToken(internalService());
        }
        return internalToken;
    }

    /** A client_credentials token of a client with the given audience and no special scope or flag. */
    String plainServiceToken(String audience) throws Exception {
        TestClient plain = register(clientSpec(unique("plain"), "confidential", List.of("client_credentials"),
                List.of("things.read"), List.of(audience), List.of(), List.of(), null, null));
        return serviceToken(plain);
    }

    static Map<String, Object> user(String userId, String organizationId) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("userId", userId);
        if (organizationId != null) {
            user.put("organizationId", organizationId);
        }
        user.put("email", userId + "@example.com");
        user.put("emailVerified", true);
        user.put("name", "User " + userId);
        user.put("pictureUrl", "https://cdn.example.com/" + userId + ".png");
        return user;
    }

    /** The JSON of a session request (nulls left out). */
    static String sessionRequest(Map<String, Object> user, String clientId, List<String> scopes, String delivery) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (user != null) {
            body.put("user", user);
        }
        if (clientId != null) {
            body.put("clientId", clientId);
        }
        if (scopes != null) {
            body.put("scopes", scopes);
        }
        if (delivery != null) {
            body.put("delivery", delivery);
        }
        body.put("userAgent", "Mozilla/5.0 (test)");
        body.put("ipAddress", "203.0.113.7");
        return JSONObjectUtils.toJSONString(body);
    }

    /** Opens a session through the internal API (201) and returns its credentials. */
    Map<String, Object> openSession(String clientId, String userId, String organizationId, List<String> scopes,
                                    String delivery) throws Exception {
        var response = postJson("/internal/v1/sessions",
                sessionRequest(user(userId, organizationId), clientId, scopes, delivery), internalToken());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    /** A bearer session with offline access: access, ID and refresh token. */
    Map<String, Object> openSession(TestClient client, String userId) throws Exception {
        return openSession(client.id(), userId, null, USER_SCOPES, "tokens");
    }

    static String userId() {
        return unique("usr").replace('-', '_');
    }

    HttpResponse<String> introspect(String token, TestClient caller) throws Exception {
        return post("/oauth2/introspect", form("token", token), caller.basic());
    }

    HttpResponse<String> refresh(String refreshToken, TestClient client) throws Exception {
        return post("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", refreshToken),
                client.basic());
    }

    HttpResponse<String> delete(String path, String bearer) throws Exception {
        return send("DELETE", path, null, bearer);
    }

    /** A problem+json answer with this status and {@code type} {@code urn:gatehouse:problem:<slug>}. */
    static Map<String, Object> assertProblem(HttpResponse<String> response, int status, String slug)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Map<String, Object> problem = json(response);
        assertThat(problem).containsEntry("type", "urn:gatehouse:problem:" + slug)
                .containsEntry("status", (long) status);
        return problem;
    }

    /** The {@code field} of every entry of a problem's {@code errors}. */
    @SuppressWarnings("unchecked")
    static List<String> errorFields(Map<String, Object> problem) {
        List<String> fields = new ArrayList<>();
        Object errors = problem.get("errors");
        if (errors instanceof List<?> list) {
            for (Object error : list) {
                fields.add((String) ((Map<String, Object>) error).get("field"));
            }
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> errors(Map<String, Object> problem) {
        Object errors = problem.get("errors");
        return errors instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }
}
