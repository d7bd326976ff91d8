package dev.gatehouse.session.api;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.session.keys.TokenSigner;
import dev.gatehouse.session.session.PermissionSource;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Token revocation (RFC 7009) and introspection (RFC 7662) over HTTP. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationIntrospectionTest extends ApiServerTest {
    static final String PERMISSIONS_PROPERTY = "gatehouse.test.fixed-permissions";

    @Inject
    TokenSigner signer;

    /** What tenant-service would answer: two permissions in every organization. */
    @Singleton
    @Requires(property = PERMISSIONS_PROPERTY, value = "true")
    static class FixedPermissions implements PermissionSource {
        @Override
        public Set<String> permissions(String userId, @Nullable String organizationId) {
            return Set.of("invoices.read", "audit_tail.read");
        }
    }

    @Override
    public Map<String, String> getProperties() {
        var properties = super.getProperties();
        properties.put(PERMISSIONS_PROPERTY, "true");
        return properties;
    }

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private HttpResponse<String> revoke(TestClient client, String... params) throws Exception {
        return post("/oauth2/revoke", form(params), client.basic());
    }

    private static void assertInactive(HttpResponse<String> introspection) throws Exception {
        assertThat(introspection.statusCode()).isEqualTo(200);
        assertThat(introspection.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(json(introspection)).isEqualTo(INACTIVE);
    }

    // --- revocation ---

    @Test
    void revokingARefreshTokenEndsItsSessionForRefreshAndIntrospection() throws Exception {
        TestClient web = webClient();
        String refreshToken = (String) openSession(web, userId()).get("refreshToken");
        assertThat(json(introspect(refreshToken, web))).containsEntry("active", true)
                .containsEntry("token_type", "refresh_token").containsEntry("client_id", web.id());

        var revoked = revoke(web, "token", refreshToken, "token_type_hint", "refresh_token");
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(revoked.headers().firstValue("Cache-Control")).hasValue("no-store");

        var refresh = refresh(refreshToken, web);
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(json(refresh)).containsEntry("error", "invalid_grant");
        assertInactive(introspect(refreshToken, web));
    }

    @Test
    void revokingAnAccessTokenOfASessionEndsTheSession() throws Exception {
        TestClient web = webClient();
        var session = openSession(web, userId());
        String accessToken = (String) session.get("accessToken");
        assertThat(get("/oauth2/userinfo", accessToken).statusCode()).isEqualTo(200);

        // a wrong hint: the server must search the other token types too (RFC 7009 §2.1)
        assertThat(revoke(web, "token", accessToken, "token_type_hint", "refresh_token").statusCode())
                .isEqualTo(200);

        var refresh = refresh((String) session.get("refreshToken"), web);
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(json(refresh)).containsEntry("error", "invalid_grant");
        var userinfo = get("/oauth2/userinfo", accessToken);
        assertThat(userinfo.statusCode()).isEqualTo(401);
        assertThat(userinfo.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertInactive(introspect(accessToken, resourceServer(API)));
    }

    @Test
    void revokingAClientCredentialsTokenDenylistsItUntilItExpires() throws Exception {
        TestClient service = register(clientSpec(unique("batch"), "confidential", List.of("client_credentials"),
                List.of("invoices.read"), List.of(API), List.of(), List.of(), null, null));
        String token = serviceToken(service);
        TestClient rs = resourceServer(API);
        assertThat(json(introspect(token, rs))).containsEntry("active", true)
                .containsEntry("client_id", service.id()).doesNotContainKey("sid");

        assertThat(revoke(service, "token", token, "token_type_hint", "access_token").statusCode())
                .isEqualTo(200);

        assertInactive(introspect(token, rs));
        // a fresh token of the same client is not affected
        assertThat(json(introspect(serviceToken(service), rs))).containsEntry("active", true);
    }

    @Test
    void aRevokedServiceTokenNoLongerOpensGatehousesOwnApis() throws Exception {
        TestClient admin = platformAdminClient();
        String adminToken = serviceToken(admin);
        TestClient internal = internalService();
        String internalToken = serviceToken(internal);
        assertThat(get("/api/v1/clients?limit=1", adminToken).statusCode()).isEqualTo(200);
        assertThat(delete("/internal/v1/sessions/ses_unknown", internalToken).statusCode()).isEqualTo(204);

        assertThat(revoke(admin, "token", adminToken).statusCode()).isEqualTo(200);
        assertThat(revoke(internal, "token", internalToken).statusCode()).isEqualTo(200);

        var adminApi = get("/api/v1/clients?limit=1", adminToken);
        assertThat(adminApi.statusCode()).isEqualTo(401);
        assertThat(adminApi.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertThat(delete("/internal/v1/sessions/ses_unknown", internalToken).statusCode()).isEqualTo(401);
        // the clients themselves are fine: fresh tokens work
        assertThat(get("/api/v1/clients?limit=1", serviceToken(admin)).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherClientsTokensAreAnswered200ButNotRevoked() throws Exception {
        TestClient web = webClient();
        TestClient other = webClient();
        var session = openSession(web, userId());
        String accessToken = (String) session.get("accessToken");
        String refreshToken = (String) session.get("refreshToken");
        TestClient batch = register(clientSpec(unique("batch"), "confidential", List.of("client_credentials"),
                List.of(), List.of(API), List.of(), List.of(), null, null));
        String serviceToken = serviceToken(batch);

        for (String token : List.of(refreshToken, accessToken, serviceToken)) {
            assertThat(revoke(other, "token", token).statusCode()).isEqualTo(200);
        }

        TestClient rs = resourceServer(API);
        assertThat(json(introspect(accessToken, rs))).containsEntry("active", true);
        assertThat(json(introspect(serviceToken, rs))).containsEntry("active", true);
        assertThat(get("/oauth2/userinfo", accessToken).statusCode()).isEqualTo(200);
        assertThat(refresh(refreshToken, web).statusCode()).isEqualTo(200);
    }

    @Test
    void aPublicClientRevokesItsOwnRefreshTokenNamingItself() throws Exception {
        TestClient cli = register(clientSpec(unique("cli"), "public", List.of("device_code", "refresh_token"),
                USER_SCOPES, List.of(API), List.of(), List.of(), null, null));
        var session = openSession(cli, userId());
        String refreshToken = (String) session.get("refreshToken");
        assertThat(refreshToken).startsWith("ghr_");

        // another public client naming itself cannot
        TestClient otherCli = register(clientSpec(unique("cli"), "public", List.of("device_code"), List.of(),
                List.of(API), List.of(), List.of(), null, null));
        assertThat(post("/oauth2/revoke", form("token", refreshToken, "client_id", otherCli.id()), null)
                .statusCode()).isEqualTo(200);
        assertThat(get("/oauth2/userinfo", (String) session.get("accessToken")).statusCode()).isEqualTo(200);

        var revoked = post("/oauth2/revoke", form("token", refreshToken, "client_id", cli.id()), null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(get("/oauth2/userinfo", (String) session.get("accessToken")).statusCode()).isEqualTo(401);
        var refresh = post("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", cli.id()), null);
        assertThat(json(refresh)).containsEntry("error", "invalid_grant");
    }

    @Test
    void unknownAndGarbageTokensAreAnswered200() throws Exception {
        TestClient web = webClient();
        for (String token : List.of("ghr_" + "A".repeat(43), "not-a-token", "eyJhbGciOiJub25lIn0.e30.",
                "x".repeat(4000))) {
            var response = revoke(web, "token", token);
            assertThat(response.statusCode()).as(token).isEqualTo(200);
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void anUnknownTokenTypeHintIsUnsupportedTokenType() throws Exception {
        TestClient web = webClient();
        String refreshToken = (String) openSession(web, userId()).get("refreshToken");
        var response = revoke(web, "token", refreshToken, "token_type_hint", "id_token");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "unsupported_token_type");
        // and it revoked nothing
        assertThat(refresh(refreshToken, web).statusCode()).isEqualTo(200);
    }

    @Test
    void revocationNeedsClientAuthentication() throws Exception {
        TestClient web = webClient();
        String refreshToken = (String) openSession(web, userId()).get("refreshToken");

        var anonymous = post("/oauth2/revoke", form("token", refreshToken), null);
        var wrongSecret = post("/oauth2/revoke", form("token", refreshToken),
                new TestClient(web.id(), "ghcs_wrong").basic());
        var idOnly = post("/oauth2/revoke", form("token", refreshToken, "client_id", web.id()), null);
        for (var response : List.of(anonymous, wrongSecret, idOnly)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response)).containsEntry("error", "invalid_client");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");
        }
        assertThat(refresh(refreshToken, web).statusCode()).isEqualTo(200);
    }

    @Test
    void revocationWithoutATokenIsInvalidRequest() throws Exception {
        var response = post("/oauth2/revoke", form("token_type_hint", "access_token"), webClient().basic());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_request");
    }

    // --- introspection ---

    @Test
    @SuppressWarnings("unchecked")
    void aResourceServerInTheAudienceSeesTheWholeToken() throws Exception {
        TestClient web = webClient();
        String user = userId();
        var session = openSession(web.id(), user, "org_acme", USER_SCOPES, "tokens");
        String accessToken = (String) session.get("accessToken");

        var response = introspect(accessToken, resourceServer(API));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        var body = json(response);
        var claims = claims(accessToken);
        assertThat(body).containsEntry("active", true)
                .containsEntry("sub", user)
                .containsEntry("client_id", web.id())
                .containsEntry("scope", "email offline_access openid profile")
                .containsEntry("sid", session.get("sessionId"))
                .containsEntry("org_id", "org_acme")
                .containsEntry("iss", "http://127.0.0.1:8080")
                .containsEntry("exp", claims.getExpirationTime().toInstant().getEpochSecond())
                .containsEntry("jti", claims.getJWTID())
                .containsEntry("token_type", "Bearer");
        assertThat(body.get("permissions")).isEqualTo(List.of("audit_tail.read", "invoices.read"));
        assertThat((List<Object>) body.get("aud")).containsExactlyInAnyOrder(API, "gatehouse");
        assertThat(body).doesNotContainKey("platform_admin");
    }

    @Test
    void aClientNotInTheAudienceLearnsNothing() throws Exception {
        TestClient web = webClient();
        var session = openSession(web.id(), userId(), "org_acme", USER_SCOPES, "tokens");
        String accessToken = (String) session.get("accessToken");

        assertInactive(introspect(accessToken, resourceServer("https://other.example.com")));
        // the issuing client itself is no resource server of the token either
        assertInactive(introspect(accessToken, web));
        // a refresh token is active only for the client it was issued to
        assertInactive(introspect((String) session.get("refreshToken"), resourceServer(API)));
    }

    @Test
    void aPublicClientCannotIntrospect() throws Exception {
        TestClient app = register(clientSpec(unique("spa"), "public", List.of("authorization_code"),
                List.of("openid"), List.of(API), List.of(CALLBACK), List.of(), API, null));
        String accessToken = (String) openSession(webClient(), userId()).get("accessToken");

        var response = post("/oauth2/introspect", form("token", accessToken, "client_id", app.id()), null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client").doesNotContainKey("active");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");

        var anonymous = post("/oauth2/introspect", form("token", accessToken), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous)).containsEntry("error", "invalid_client");
    }

    @Test
    void expiredForgedAndGarbageTokensAreInactive() throws Exception {
        TestClient rs = resourceServer(API);
        TestClient web = webClient();
        var live = claims((String) openSession(web, userId()).get("accessToken"));
        Instant hourAgo = Instant.now().minusSeconds(3600);
        // signed by this server, in the audience, but an hour past its exp
        String expired = signer.sign(new JWTClaimsSet.Builder(live)
                .issueTime(Date.from(hourAgo.minusSeconds(600)))
                .notBeforeTime(Date.from(hourAgo.minusSeconds(600)))
                .expirationTime(Date.from(hourAgo)).build(), new JOSEObjectType("at+jwt"));
        // signed by this server with the wrong typ (an ID token is not an access token)
        String idToken = signer.sign(new JWTClaimsSet.Builder(live).build(), JOSEObjectType.JWT);
        // signed by this server but for another issuer
        String otherIssuer = signer.sign(new JWTClaimsSet.Builder(live).issuer("https://evil.example.com").build(),
                new JOSEObjectType("at+jwt"));

        for (String token : List.of(expired, idToken, otherIssuer, "garbage", "a.b.c", "ghr_unknown")) {
            assertInactive(introspect(token, rs));
        }
    }

    @Test
    void aRevokedSessionsAccessTokenIsInactive() throws Exception {
        TestClient web = webClient();
        var session = openSession(web, userId());
        TestClient rs = resourceServer(API);
        String accessToken = (String) session.get("accessToken");
        assertThat(json(introspect(accessToken, rs))).containsEntry("active", true);

        assertThat(delete("/internal/v1/sessions/" + session.get("sessionId"), internalToken()).statusCode())
                .isEqualTo(204);

        assertInactive(introspect(accessToken, rs));
        assertInactive(introspect((String) session.get("refreshToken"), web));
    }

    @Test
    void aRotatedRefreshTokenIsInactiveAndItsSuccessorActive() throws Exception {
        TestClient web = webClient();
        String first = (String) openSession(web, userId()).get("refreshToken");
        var rotated = refresh(first, web);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String second = (String) json(rotated).get("refresh_token");

        assertInactive(introspect(first, web));
        assertThat(json(introspect(second, web))).containsEntry("active", true);
    }
}
