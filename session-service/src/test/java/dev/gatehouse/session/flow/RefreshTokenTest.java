package dev.gatehouse.session.flow;

import com.nimbusds.jose.JOSEObjectType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh tokens with the default reuse grace: rotation on every use, scope narrowing, client binding, concurrent
 * presentations, and revoked sessions.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshTokenTest extends AbstractFlowTest {
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    @Test
    void everyRefreshRotatesTheTokenAndTheRotatedOneIsRefused() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens signedIn = signIn(client, ALL_SCOPES, User.random());
        String sid = verified(signedIn.accessToken(), AT_JWT).getStringClaim("sid");

        var first = refresh(client, signedIn.refreshToken(), null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        Tokens rotated = Tokens.of(json(first));
        assertThat(rotated.refreshToken()).startsWith("ghr_").isNotEqualTo(signedIn.refreshToken());
        assertThat(rotated.scope()).isEqualTo("email offline_access openid profile");
        assertThat(rotated.accessToken()).isNotEqualTo(signedIn.accessToken());
        assertThat(verified(rotated.accessToken(), AT_JWT).getStringClaim("sid")).isEqualTo(sid);
        // OIDC Core 12.2: a refresh answer may leave the ID token out, and ours does (one signature, not two)
        assertThat(first.body()).doesNotContain("id_token");

        var old = refresh(client, signedIn.refreshToken(), null);
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(oauthError(old)).isEqualTo("invalid_grant");

        // within the reuse grace the old token is refused without ending the session
        var next = refresh(client, rotated.refreshToken(), null);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(get("/oauth2/userinfo", Tokens.of(json(next)).accessToken()).statusCode()).isEqualTo(200);

        var unknown = refresh(client, "ghr_" + "A".repeat(43), null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(oauthError(unknown)).isEqualTo("invalid_grant");
    }

    @Test
    void scopeMayOnlyNarrowAndTheRefreshTokenKeepsTheOriginalGrant() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens signedIn = signIn(client, List.of("openid", "email", "offline_access"), User.random());

        var narrowed = refresh(client, signedIn.refreshToken(), "openid");
        assertThat(narrowed.statusCode()).isEqualTo(200);
        Tokens narrow = Tokens.of(json(narrowed));
        assertThat(narrow.idToken()).isNull();
        assertThat(narrow.scope()).isEqualTo("openid");
        var claims = verified(narrow.accessToken(), AT_JWT);
        assertThat(claims.getStringClaim("scope")).isEqualTo("openid");
        assertThat(claims.getClaims()).doesNotContainKey("email");

        // profile is allowed for the client but was not granted at sign-in; admin is not even allowed
        for (String broader : List.of("openid profile", "openid email offline_access profile", "admin")) {
            var refused = refresh(client, narrow.refreshToken(), broader);
            assertThat(refused.statusCode()).as(broader).isEqualTo(400);
            // RFC 6749 §5.2: a scope exceeding the original grant is invalid_scope
            assertThat(oauthError(refused)).as(broader).isEqualTo("invalid_scope");
        }
        var malformed = refresh(client, narrow.refreshToken(), "openid\"");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(oauthError(malformed)).isEqualTo("invalid_scope");

        // without openid the narrowed access token no longer opens userinfo
        var emailOnly = refresh(client, narrow.refreshToken(), "email");
        assertThat(emailOnly.statusCode()).isEqualTo(200);
        Tokens noOpenid = Tokens.of(json(emailOnly));
        assertThat(noOpenid.body()).doesNotContainKey("id_token");
        var userinfo = get("/oauth2/userinfo", noOpenid.accessToken());
        assertThat(userinfo.statusCode()).isEqualTo(403);
        assertThat(userinfo.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer error=\"insufficient_scope\"");
        narrow = noOpenid;

        // a refused request left the token usable, and it still carries the whole original grant
        var full = refresh(client, narrow.refreshToken(), null);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(Tokens.of(json(full)).scope()).isEqualTo("email offline_access openid");
        assertThat(verified(Tokens.of(json(full)).accessToken(), AT_JWT).getClaims()).containsKey("email");
    }

    @Test
    void withoutOfflineAccessThereIsNoRefreshToken() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens tokens = signIn(client, List.of("openid", "profile", "email"), User.random());
        assertThat(tokens.body()).doesNotContainKey("refresh_token").containsKeys("access_token", "id_token");

        TestClient withoutGrant = register(spec(unique("nogrant"), "public", List.of("authorization_code"),
                ALL_SCOPES, List.of(), List.of(LOOPBACK)));
        Tokens noGrant = signIn(withoutGrant, ALL_SCOPES, User.random());
        assertThat(noGrant.body()).doesNotContainKey("refresh_token");
    }

    @Test
    void aRefreshTokenPresentedByAnotherClientIsInvalidGrantAndStaysUsable() throws Exception {
        TestClient owner = publicClient(ALL_SCOPES, LOOPBACK);
        TestClient other = publicClient(ALL_SCOPES, LOOPBACK);
        TestClient confidential = confidentialClient(ALL_SCOPES, List.of(), LOOPBACK);
        Tokens tokens = signIn(owner, ALL_SCOPES, User.random());

        for (TestClient thief : List.of(other, confidential)) {
            var stolen = refresh(thief, tokens.refreshToken(), null);
            assertThat(stolen.statusCode()).isEqualTo(400);
            assertThat(oauthError(stolen)).isEqualTo("invalid_grant");
        }
        assertThat(refresh(owner, tokens.refreshToken(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentRefreshesWithOneTokenHaveExactlyOneWinner() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        for (int round = 0; round < 5; round++) {
            Tokens tokens = signIn(client, ALL_SCOPES, User.random());
            List<HttpResponse<String>> responses = race(2, () -> refresh(client, tokens.refreshToken(), null));

            List<HttpResponse<String>> won = responses.stream().filter(r -> r.statusCode() == 200).toList();
            List<HttpResponse<String>> lost = responses.stream().filter(r -> r.statusCode() != 200).toList();
            assertThat(won).as("round %d: %s", round, responses.stream().map(HttpResponse::body).toList())
                    .hasSize(1);
            assertThat(lost.get(0).statusCode()).isEqualTo(400);
            assertThat(oauthError(lost.get(0))).isEqualTo("invalid_grant");

            // the loser was inside the grace: the winner's family lives on
            Tokens winner = Tokens.of(json(won.get(0)));
            assertThat(get("/oauth2/userinfo", winner.accessToken()).statusCode()).isEqualTo(200);
            var next = refresh(client, winner.refreshToken(), null);
            assertThat(next.statusCode()).as("round %d", round).isEqualTo(200);
        }
    }

    @Test
    void manyConcurrentRefreshesStillHaveExactlyOneWinner() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens tokens = signIn(client, ALL_SCOPES, User.random());
        List<HttpResponse<String>> responses = race(8, () -> refresh(client, tokens.refreshToken(), null));

        assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
        for (var lost : responses.stream().filter(r -> r.statusCode() != 200).toList()) {
            assertThat(lost.statusCode()).isEqualTo(400);
            assertThat(oauthError(lost)).isEqualTo("invalid_grant");
        }
    }

    @Test
    void aSessionRevokedThroughTheInternalApiRefusesItsRefreshToken() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens tokens = signIn(client, ALL_SCOPES, User.random());
        String sid = verified(tokens.accessToken(), AT_JWT).getStringClaim("sid");

        var revoked = send("DELETE", "/internal/v1/sessions/" + sid, null, serviceToken());
        assertThat(revoked.statusCode()).isEqualTo(204);

        var refresh = refresh(client, tokens.refreshToken(), null);
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(oauthError(refresh)).isEqualTo("invalid_grant");
        assertThat(get("/oauth2/userinfo", tokens.accessToken()).statusCode()).isEqualTo(401);
        assertThat(revokedEvent(sid)).containsEntry("reason", "sign_out");
    }

    @Test
    void revokingTheRefreshOrTheAccessTokenEndsTheSession() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);

        Tokens byRefresh = signIn(client, ALL_SCOPES, User.random());
        var revoke = post("/oauth2/revoke", form("token", byRefresh.refreshToken(), "token_type_hint",
                "refresh_token", "client_id", client.id()), null);
        assertThat(revoke.statusCode()).isEqualTo(200);
        assertThat(oauthError(refresh(client, byRefresh.refreshToken(), null))).isEqualTo("invalid_grant");
        assertThat(get("/oauth2/userinfo", byRefresh.accessToken()).statusCode()).isEqualTo(401);
        assertThat(revokedEvent(verified(byRefresh.accessToken(), AT_JWT).getStringClaim("sid")))
                .containsEntry("reason", "token_revoked");

        Tokens byAccess = signIn(client, ALL_SCOPES, User.random());
        assertThat(post("/oauth2/revoke", form("token", byAccess.accessToken(), "client_id", client.id()), null)
                .statusCode()).isEqualTo(200);
        var refused = refresh(client, byAccess.refreshToken(), null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(oauthError(refused)).isEqualTo("invalid_grant");

        // another client cannot revoke it: the answer is still 200, and the session lives
        TestClient other = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens victim = signIn(client, ALL_SCOPES, User.random());
        assertThat(post("/oauth2/revoke", form("token", victim.refreshToken(), "client_id", other.id()), null)
                .statusCode()).isEqualTo(200);
        assertThat(refresh(client, victim.refreshToken(), null).statusCode()).isEqualTo(200);
    }
}
