package dev.gatehouse.session.device;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8628 over HTTP: the device authorization endpoint, polling the token endpoint, and every polling outcome. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Property(name = "gatehouse.session.device-poll-interval", value = "1s")
class DeviceFlowTest extends DeviceServerTest {
    private String serviceToken;

    @BeforeAll
    void internalServiceToken() throws Exception {
        serviceToken = serviceToken(internalService());
    }

    @Test
    void theApprovedUserGetsAccessRefreshAndIdTokensAndTheRefreshTokenWorks() throws Exception {
        TestClient client = deviceClient();
        var started = startFlow(client, "openid profile email offline_access");
        String deviceCode = (String) started.get("device_code");
        String userCode = (String) started.get("user_code");

        assertOAuthError(poll(client, deviceCode), 400, "authorization_pending");
        Thread.sleep(1100);
        assertOAuthError(poll(client, deviceCode), 400, "authorization_pending");

        var lookup = lookup(serviceToken, userCode.toLowerCase().replace("-", ""), "usr_alice");
        assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
        assertThat(json(lookup)).containsEntry("clientId", client.id())
                .containsEntry("clientDisplayName", "Test " + client.id())
                .containsEntry("scopes", List.of("openid", "profile", "email", "offline_access"));
        assertThat(json(lookup).get("expiresAt")).isNotNull();

        var approved = approve(serviceToken, userCode, user("usr_alice", "org_acme"));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);

        var tokens = poll(client, deviceCode);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.headers().firstValue("Cache-Control")).hasValue("no-store");
        var body = json(tokens);
        assertThat(body).containsEntry("token_type", "Bearer")
                .containsEntry("scope", "email offline_access openid profile")
                .containsKeys("access_token", "refresh_token", "id_token", "expires_in");
        var access = claims((String) body.get("access_token"));
        assertThat(typ((String) body.get("access_token"))).isEqualTo("at+jwt");
        assertThat(access.getSubject()).isEqualTo("usr_alice");
        assertThat(access.getStringClaim("org_id")).isEqualTo("org_acme");
        assertThat(access.getStringClaim("scope")).isEqualTo("email offline_access openid profile");
        assertThat(access.getStringClaim("client_id")).isEqualTo(client.id());
        assertThat(access.getAudience()).containsExactly("urn:flux");
        assertThat(access.getStringClaim("email")).isEqualTo("usr_alice@example.com");
        assertThat(access.getStringClaim("sid")).isNotBlank();
        var id = claims((String) body.get("id_token"));
        assertThat(id.getSubject()).isEqualTo("usr_alice");
        assertThat(id.getAudience()).containsExactly(client.id());

        var refreshed = post("/oauth2/token", form("grant_type", "refresh_token", "refresh_token",
                (String) body.get("refresh_token"), "client_id", client.id()), null);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        var rotated = json(refreshed);
        assertThat(rotated.get("refresh_token")).isNotNull().isNotEqualTo(body.get("refresh_token"));
        var refreshedAccess = claims((String) rotated.get("access_token"));
        assertThat(refreshedAccess.getSubject()).isEqualTo("usr_alice");
        assertThat(refreshedAccess.getStringClaim("org_id")).isEqualTo("org_acme");
        assertThat(refreshedAccess.getStringClaim("sid")).isEqualTo(access.getStringClaim("sid"));
    }

    @Test
    void withoutOfflineAccessThereIsNoRefreshTokenAndWithoutOpenidNoIdToken() throws Exception {
        TestClient client = deviceClient();
        var started = startFlow(client, "profile");
        assertThat(approve(serviceToken, (String) started.get("user_code"), user("usr_bob", null)).statusCode())
                .isEqualTo(204);
        var tokens = poll(client, started.get("device_code"));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(json(tokens)).containsEntry("scope", "profile").doesNotContainKey("refresh_token")
                .doesNotContainKey("id_token");
        assertThat(claims((String) json(tokens).get("access_token")).getClaim("org_id")).isNull();
    }

    @Test
    void theResponseCarriesWellFormedCodesTheVerificationUriAndTheConfiguredTimes() throws Exception {
        TestClient client = deviceClient();
        Set<String> userCodes = new HashSet<>();
        Set<String> deviceCodes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            var started = startFlow(client, null);
            String userCode = (String) started.get("user_code");
            String deviceCode = (String) started.get("device_code");
            assertThat(userCode).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
            assertThat(deviceCode).matches("[A-Za-z0-9_-]{43,}");
            assertThat(Base64.getUrlDecoder().decode(deviceCode).length).isGreaterThanOrEqualTo(32);
            assertThat(started).containsEntry("verification_uri", "http://127.0.0.1:8080/device")
                    .containsEntry("verification_uri_complete", "http://127.0.0.1:8080/device?user_code=" + userCode)
                    .containsEntry("expires_in", 600L)
                    .containsEntry("interval", 1L);
            userCodes.add(userCode);
            deviceCodes.add(deviceCode);
        }
        assertThat(userCodes).hasSize(20);
        assertThat(deviceCodes).hasSize(20);
    }

    @Test
    void withoutScopeTheClientsStandardScopesAreAskedAndOthersAreRefused() throws Exception {
        TestClient client = register(spec(unique("cli"), "public", List.of("device_code"),
                List.of("openid", "offline_access", "builds.read"), List.of("urn:flux"), List.of()));
        var started = startFlow(client, null);
        var lookup = lookup(serviceToken, (String) started.get("user_code"), "usr_carol");
        assertThat(json(lookup)).containsEntry("scopes", List.of("openid", "offline_access"));

        assertOAuthError(post("/oauth2/device_authorization", form("client_id", client.id(), "scope",
                "openid email"), null), 400, "invalid_scope");
        assertThat(startFlow(client, "builds.read")).containsKey("device_code");

        TestClient custom = register(spec(unique("cli"), "public", List.of("device_code"), List.of("builds.read"),
                List.of("urn:flux"), List.of()));
        assertOAuthError(post("/oauth2/device_authorization", form("client_id", custom.id()), null), 400,
                "invalid_scope");
    }

    @Test
    void slowDownAddsFiveSecondsToThisDeviceCodesInterval() throws Exception {
        TestClient client = deviceClient();
        String a = (String) startFlow(client, null).get("device_code");
        String b = (String) startFlow(client, null).get("device_code");
        String c = (String) startFlow(client, null).get("device_code");
        for (String code : List.of(a, b, c)) {
            assertOAuthError(poll(client, code), 400, "authorization_pending");
        }
        var slowA = poll(client, a);
        var slowB = poll(client, b);
        long slowedAt = System.nanoTime();
        assertOAuthError(slowA, 400, "slow_down");
        assertOAuthError(slowB, 400, "slow_down");
        assertThat((String) json(slowA).get("error_description")).contains("wait 6 seconds");

        sleepUntil(slowedAt, 3000);
        // 3 s after: long enough for the old 1 s interval, too soon for 6 s (and c kept its own 1 s)
        var stillSlow = poll(client, b);
        assertOAuthError(stillSlow, 400, "slow_down");
        assertThat((String) json(stillSlow).get("error_description")).contains("wait 11 seconds");
        assertOAuthError(poll(client, c), 400, "authorization_pending");

        sleepUntil(slowedAt, 6500);
        // 6.5 s after: past 1 s + 5 s, so a polls in time again
        assertOAuthError(poll(client, a), 400, "authorization_pending");
    }

    private static void sleepUntil(long startNanos, long millis) throws InterruptedException {
        long left = millis - (System.nanoTime() - startNanos) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    @Test
    void aDeniedGrantIsAccessDeniedOnceAndCannotBeApprovedAfterwards() throws Exception {
        TestClient client = deviceClient();
        var started = startFlow(client, null);
        String userCode = (String) started.get("user_code");
        var denied = deny(serviceToken, userCode);
        assertThat(denied.statusCode()).as(denied.body()).isEqualTo(204);
        assertProblem(approve(serviceToken, userCode, user("usr_dave", "org_acme")), 409, "conflict");

        assertOAuthError(poll(client, started.get("device_code")), 400, "access_denied");
        assertOAuthError(poll(client, started.get("device_code")), 400, "invalid_grant");
    }

    @Test
    void aDeviceCodePresentedByAnotherClientIsInvalidGrantAndStaysUsable() throws Exception {
        TestClient client = deviceClient();
        TestClient other = register(spec(unique("cli"), "confidential", List.of("device_code"), USER_SCOPES,
                List.of("urn:flux"), List.of()));
        var started = startFlow(client, "openid");
        approve(serviceToken, (String) started.get("user_code"), user("usr_erin", "org_acme"));

        var stolen = post("/oauth2/token", form("grant_type", DEVICE_GRANT, "device_code",
                (String) started.get("device_code")), other.basic());
        assertOAuthError(stolen, 400, "invalid_grant");
        assertThat(poll(client, started.get("device_code")).statusCode()).isEqualTo(200);
    }

    @Test
    void aSecondRedemptionIsInvalidGrantAndRevokesTheSessionOfTheFirst() throws Exception {
        TestClient client = deviceClient();
        var started = startFlow(client, "openid offline_access");
        approve(serviceToken, (String) started.get("user_code"), user("usr_frank", "org_acme"));
        var first = poll(client, started.get("device_code"));
        assertThat(first.statusCode()).isEqualTo(200);

        assertOAuthError(poll(client, started.get("device_code")), 400, "invalid_grant");
        var refresh = post("/oauth2/token", form("grant_type", "refresh_token", "refresh_token",
                (String) json(first).get("refresh_token"), "client_id", client.id()), null);
        assertOAuthError(refresh, 400, "invalid_grant");
    }

    @Test
    void unknownAndMalformedDeviceCodesAreInvalidGrant() throws Exception {
        TestClient client = deviceClient();
        assertOAuthError(poll(client, "A".repeat(43)), 400, "invalid_grant");
        assertOAuthError(poll(client, "not a code!"), 400, "invalid_grant");
        assertOAuthError(poll(client, "x".repeat(3000)), 400, "invalid_grant");
        assertOAuthError(post("/oauth2/token", form("grant_type", DEVICE_GRANT, "client_id", client.id()), null),
                400, "invalid_request");
    }

    @Test
    void repeatedParametersAndOtherMalformedRequestsAreInvalidRequest() throws Exception {
        TestClient client = deviceClient();
        assertOAuthError(postRaw("/oauth2/device_authorization", "client_id=" + client.id() + "&client_id="
                + client.id(), null), 400, "invalid_request");
        assertOAuthError(postRaw("/oauth2/device_authorization", "client_id=" + client.id()
                + "&scope=openid&scope=email", null), 400, "invalid_request");
        assertOAuthError(postRaw("/oauth2/device_authorization", "client_id=%zz", null), 400, "invalid_request");
        var jsonBody = postJson("/oauth2/device_authorization", "{\"client_id\":\"" + client.id() + "\"}", null);
        assertOAuthError(jsonBody, 400, "invalid_request");

        String deviceCode = (String) startFlow(client, null).get("device_code");
        assertOAuthError(postRaw("/oauth2/token", "grant_type=" + enc(DEVICE_GRANT) + "&client_id=" + client.id()
                + "&device_code=" + deviceCode + "&device_code=" + deviceCode, null), 400, "invalid_request");
        assertOAuthError(post("/oauth2/device_authorization", form("client_id", client.id(), "scope", "bad\"scope"),
                null), 400, "invalid_scope");
    }

    @Test
    void clientsMustAuthenticateAndBeAllowedTheDeviceGrant() throws Exception {
        var unknown = post("/oauth2/device_authorization", form("client_id", "no-such-client"), null);
        assertOAuthError(unknown, 401, "invalid_client");

        TestClient confidential = register(spec(unique("tv"), "confidential", List.of("device_code"), USER_SCOPES,
                List.of("urn:flux"), List.of()));
        assertOAuthError(post("/oauth2/device_authorization", form("client_id", confidential.id()), null), 401,
                "invalid_client");
        var authenticated = post("/oauth2/device_authorization", Map.of(), confidential.basic());
        assertThat(authenticated.statusCode()).as(authenticated.body()).isEqualTo(200);

        TestClient browserOnly = register(spec(unique("web"), "public", List.of("authorization_code"), USER_SCOPES,
                List.of("urn:flux"), List.of("https://app.example.com/callback")));
        assertOAuthError(post("/oauth2/device_authorization", form("client_id", browserOnly.id()), null), 400,
                "unauthorized_client");
        assertOAuthError(poll(browserOnly, json(authenticated).get("device_code")), 400, "unauthorized_client");
    }
}
