package dev.gatehouse.session.device;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.session.oauth.OAuthServerTest;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The device flow over HTTP: a device client, the two endpoints it calls, and identity-service's internal calls. */
abstract class DeviceServerTest extends OAuthServerTest {
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final List<String> USER_SCOPES = List.of("openid", "profile", "email", "offline_access");

    /** A public CLI client like seed 002's SDK. */
    protected TestClient deviceClient() {
        return register(spec(unique("cli"), "public", List.of("device_code", "refresh_token"), USER_SCOPES,
                List.of("urn:flux"), List.of()));
    }

    /** Starts the flow; asserts it worked and returns the response body. */
    protected Map<String, Object> startFlow(TestClient client, String scope) throws Exception {
        var form = new LinkedHashMap<String, String>();
        form.put("client_id", client.id());
        if (scope != null) {
            form.put("scope", scope);
        }
        var response = post("/oauth2/device_authorization", form, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        return json(response);
    }

    protected HttpResponse<String> poll(TestClient client, Object deviceCode) throws Exception {
        return post("/oauth2/token", form("grant_type", DEVICE_GRANT, "device_code", (String) deviceCode,
                "client_id", client.id()), null);
    }

    /** Asserts an RFC 6749 §5.2 error with that status and code. */
    protected static void assertOAuthError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response)).containsEntry("error", error);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    /** Asserts a problem+json answer of that status and type slug. */
    protected static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response)).containsEntry("type", "urn:gatehouse:problem:" + type);
    }

    protected HttpResponse<String> lookup(String token, String userCode, String subject) throws Exception {
        return postJson("/internal/v1/device/lookup", toJson(Map.of("userCode", userCode, "subject", subject)),
                token);
    }

    protected HttpResponse<String> approve(String token, String userCode, Map<String, Object> user) throws Exception {
        return postJson("/internal/v1/device/approve", toJson(Map.of("userCode", userCode, "user", user)), token);
    }

    protected HttpResponse<String> deny(String token, String userCode) throws Exception {
        return postJson("/internal/v1/device/deny", toJson(Map.of("userCode", userCode)), token);
    }

    protected static Map<String, Object> user(String userId, String organizationId) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("userId", userId);
        user.put("organizationId", organizationId);
        user.put("email", userId + "@example.com");
        user.put("emailVerified", true);
        user.put("name", "User " + userId);
        return user;
    }

    /** A well-formed user code that was never issued (one in 2^34 it was: ignore). */
    protected static String unknownUserCode() {
        return UserCodes.next();
    }

    protected static String toJson(Map<String, ?> value) {
        return JSONObjectUtils.toJSONString(new LinkedHashMap<>(value));
    }
}
