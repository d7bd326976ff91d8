package dev.gatehouse.session.flow;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow with PKCE over HTTP: authorization request, login challenge answered through the
 * internal API, callback, code redemption; and every way a request, a challenge or a code is refused.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationCodeFlowTest extends AbstractFlowTest {
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    @Test
    void aPublicClientSignsInWithPkceAndGetsVerifiableTokens() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        User user = User.random();
        Pkce pkce = Pkce.create();
        String redirectUri = loopbackOnSomePort();
        String state = "state-" + UUID.randomUUID();
        String nonce = "nonce-" + UUID.randomUUID();

        var authorize = authorize(authorization(client, redirectUri, ALL_SCOPES, pkce, state, nonce));
        assertThat(authorize.statusCode()).isEqualTo(302);
        assertThat(authorize.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(location(authorize)).startsWith(LOGIN_URL);
        String challenge = challengeOf(authorize);
        assertThat(challenge).matches("[A-Za-z0-9_-]{43}");

        var pending = readChallenge(challenge, serviceToken());
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(json(pending)).containsEntry("clientId", client.id())
                .containsEntry("clientDisplayName", "Test " + client.id())
                .containsEntry("scopes", ALL_SCOPES);

        URI callback = acceptAndFollow(challenge, user);
        URI asked = URI.create(redirectUri);
        assertThat(callback.getScheme()).isEqualTo("http");
        assertThat(callback.getHost()).isEqualTo("127.0.0.1");
        assertThat(callback.getPort()).isEqualTo(asked.getPort());
        assertThat(callback.getPath()).isEqualTo("/callback");
        assertThat(callback.getRawFragment()).isNull();
        Map<String, String> params = query(callback);
        assertThat(params.keySet()).containsExactly("code", "state", "iss");
        assertThat(params).containsEntry("state", state).containsEntry("iss", ISSUER);

        var redeemed = redeem(client, params.get("code"), redirectUri, pkce.verifier());
        assertThat(redeemed.statusCode()).isEqualTo(200);
        assertThat(redeemed.headers().firstValue("Cache-Control")).hasValue("no-store");
        Tokens tokens = Tokens.of(json(redeemed));
        assertThat(tokens.body()).containsEntry("token_type", "Bearer").containsEntry("expires_in", 600L)
                .containsEntry("scope", "email offline_access openid profile");

        assertThat(typ(tokens.accessToken())).isEqualTo("at+jwt");
        JWTClaimsSet access = verified(tokens.accessToken(), AT_JWT);
        assertThat(access.getIssuer()).isEqualTo(ISSUER);
        assertThat(access.getSubject()).isEqualTo(user.userId());
        assertThat(access.getAudience()).containsExactly(client.id());
        assertThat(access.getStringClaim("client_id")).isEqualTo(client.id());
        assertThat(access.getStringClaim("scope")).isEqualTo("email offline_access openid profile");
        assertThat(access.getJWTID()).isNotBlank();
        assertThat(access.getNotBeforeTime()).isEqualTo(access.getIssueTime());
        assertThat(access.getExpirationTime().getTime() - access.getIssueTime().getTime()).isEqualTo(600_000L);
        String sid = access.getStringClaim("sid");
        assertThat(sid).isNotBlank();
        assertThat(access.getStringClaim("org_id")).isEqualTo(user.organizationId());
        assertThat(access.getStringListClaim("permissions")).isEmpty();
        assertThat(access.getStringClaim("email")).isEqualTo(user.email());
        assertThat(access.getBooleanClaim("email_verified")).isTrue();
        assertThat(access.getStringClaim("name")).isEqualTo(user.name());
        assertThat(access.getStringClaim("picture_url")).isEqualTo(user.pictureUrl());
        assertThat(access.getClaim("platform_admin")).isNull();
        assertThat(access.getClaim("nonce")).isNull();

        JWTClaimsSet id = verified(tokens.idToken(), JOSEObjectType.JWT);
        assertThat(id.getIssuer()).isEqualTo(ISSUER);
        assertThat(id.getSubject()).isEqualTo(user.userId());
        assertThat(id.getAudience()).containsExactly(client.id());
        assertThat(id.getStringClaim("nonce")).isEqualTo(nonce);
        assertThat(id.getStringClaim("at_hash")).isEqualTo(atHash(tokens.accessToken()));
        assertThat(id.getLongClaim("auth_time")).isEqualTo(AUTH_TIME.getEpochSecond());
        assertThat(id.getStringClaim("sid")).isEqualTo(sid);
        assertThat(id.getStringClaim("email")).isEqualTo(user.email());
        assertThat(id.getStringClaim("name")).isEqualTo(user.name());
        assertThat(id.getExpirationTime()).isAfter(id.getIssueTime());

        assertThat(tokens.refreshToken()).startsWith("ghr_");
        byte[] secret = Base64.getUrlDecoder().decode(tokens.refreshToken().substring(4));
        assertThat(secret.length * 8).isGreaterThanOrEqualTo(256);
    }

    @Test
    void scopesDecideWhichUserClaimsTheTokensCarryAndOfflineAccessTheRefreshToken() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        User user = User.random();

        Tokens openid = signIn(client, List.of("openid"), user);
        assertThat(openid.body()).doesNotContainKey("refresh_token").containsEntry("scope", "openid");
        for (JWTClaimsSet claims : List.of(verified(openid.accessToken(), AT_JWT),
                verified(openid.idToken(), JOSEObjectType.JWT))) {
            assertThat(claims.getClaims()).doesNotContainKeys("email", "email_verified", "name", "picture_url");
        }

        Tokens email = signIn(client, List.of("openid", "email"), user);
        JWTClaimsSet access = verified(email.accessToken(), AT_JWT);
        assertThat(access.getStringClaim("email")).isEqualTo(user.email());
        assertThat(access.getClaims()).doesNotContainKeys("name", "picture_url");

        Tokens noOpenid = signIn(client, List.of("profile"), user);
        assertThat(noOpenid.body()).doesNotContainKeys("id_token", "refresh_token");
        assertThat(verified(noOpenid.accessToken(), AT_JWT).getStringClaim("name")).isEqualTo(user.name());
    }

    @Test
    void anUnknownOrMissingClientGetsAnErrorPageAndNoRedirect() throws Exception {
        Pkce pkce = Pkce.create();
        var unknown = authorize(authorization(new TestClient("no-such-client", null), LOOPBACK, List.of("openid"),
                pkce, "s", null));
        assertErrorPage(unknown);

        var missing = authorizeRaw("response_type=code&redirect_uri=" + enc(LOOPBACK) + "&scope=openid");
        assertErrorPage(missing);
    }

    @Test
    void unregisteredAndNearMissRedirectUrisGetAnErrorPage() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, "https://app.example.com/callback", LOOPBACK);
        List<String> refused = List.of(
                "https://evil.example.com/callback",
                "https://app.example.com/callback/",
                "https://app.example.com/other",
                "https://app.example.com/callback/more",
                "http://app.example.com/callback",
                "https://app.example.com/callback?extra=1",
                "https://app.example.com:443/callback",
                "https://APP.example.com/callback",
                "https://app.example.com/callback#fragment",
                "http://127.0.0.1/callback/",
                "http://127.0.0.1:51000/callback?extra=1",
                "http://127.0.0.1:51000/other",
                "http://localhost/callback",
                "https://127.0.0.1/callback",
                "http://127.0.0.1.evil.example.com/callback");
        for (String redirectUri : refused) {
            var response = authorize(authorization(client, redirectUri, List.of("openid"), Pkce.create(), "s", null));
            assertErrorPage(response);
        }

        for (String accepted : List.of("https://app.example.com/callback", LOOPBACK, "http://127.0.0.1:51000/callback")) {
            assertThat(challengeOf(authorize(authorization(client, accepted, List.of("openid"), Pkce.create(), "s",
                    null)))).isNotBlank();
        }
    }

    @Test
    void responseTypeTokenIsRedirectedAsUnsupportedResponseType() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        var params = authorization(client, LOOPBACK, List.of("openid"), Pkce.create(), "xyz", null);
        params.put("response_type", "token");
        assertRedirectError(authorize(params), LOOPBACK, "unsupported_response_type", "xyz");
    }

    @Test
    void silentAuthenticationAndOtherResponseModesAreRefusedOnTheRedirect() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        var silent = authorization(client, LOOPBACK, List.of("openid"), Pkce.create(), "p1", null);
        silent.put("prompt", "none");
        assertRedirectError(authorize(silent), LOOPBACK, "login_required", "p1");

        for (String mode : List.of("fragment", "form_post")) {
            var other = authorization(client, LOOPBACK, List.of("openid"), Pkce.create(), "m-" + mode, null);
            other.put("response_mode", mode);
            assertRedirectError(authorize(other), LOOPBACK, "invalid_request", "m-" + mode);
        }
        // prompt=login and an explicit query mode are not refused: the user is sent to sign in
        var interactive = authorization(client, LOOPBACK, List.of("openid"), Pkce.create(), "p2", null);
        interactive.put("prompt", "login");
        interactive.put("response_mode", "query");
        assertThat(challengeOf(authorize(interactive))).isNotBlank();
    }

    @Test
    void aPublicClientMustSendAnS256CodeChallenge() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        var missing = authorization(client, LOOPBACK, List.of("openid"), null, "s1", null);
        assertRedirectError(authorize(missing), LOOPBACK, "invalid_request", "s1");

        var plain = authorization(client, LOOPBACK, List.of("openid"), null, "s2", null);
        String verifier = Pkce.create().verifier();
        plain.put("code_challenge", verifier);
        plain.put("code_challenge_method", "plain");
        assertRedirectError(authorize(plain), LOOPBACK, "invalid_request", "s2");

        var noMethod = authorization(client, LOOPBACK, List.of("openid"), Pkce.create(), "s3", null);
        noMethod.remove("code_challenge_method");
        assertRedirectError(authorize(noMethod), LOOPBACK, "invalid_request", "s3");

        var malformed = authorization(client, LOOPBACK, List.of("openid"), null, "s4", null);
        malformed.put("code_challenge", "short");
        malformed.put("code_challenge_method", "S256");
        assertRedirectError(authorize(malformed), LOOPBACK, "invalid_request", "s4");
    }

    @Test
    void aScopeTheClientMayNotRequestIsInvalidScope() throws Exception {
        TestClient client = publicClient(List.of("openid", "profile"), LOOPBACK);
        var params = authorization(client, LOOPBACK, List.of("openid", "email"), Pkce.create(), "s", null);
        assertRedirectError(authorize(params), LOOPBACK, "invalid_scope", "s");

        var admin = authorization(client, LOOPBACK, List.of("openid", "gatehouse:internal"), Pkce.create(), "t", null);
        assertRedirectError(authorize(admin), LOOPBACK, "invalid_scope", "t");
    }

    @Test
    void aDuplicatedParameterIsAnErrorPageNotAServerError() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        String query = encodeForm(authorization(client, LOOPBACK, List.of("openid"), Pkce.create(), "s", null));
        assertErrorPage(authorizeRaw(query + "&state=again"));
        assertErrorPage(authorizeRaw(query + "&redirect_uri=" + enc("https://evil.example.com/cb")));
        assertErrorPage(authorizeRaw(query + "&client_id=" + enc(client.id())));
    }

    @Test
    void aCodeRedeemedTwiceIsRefusedAndEndsTheSessionTheFirstRedemptionOpened() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Pkce pkce = Pkce.create();
        User user = User.random();
        String code = code(client, LOOPBACK, ALL_SCOPES, pkce, null, user);

        var first = redeem(client, code, LOOPBACK, pkce.verifier());
        assertThat(first.statusCode()).isEqualTo(200);
        Tokens tokens = Tokens.of(json(first));
        String sid = verified(tokens.accessToken(), AT_JWT).getStringClaim("sid");
        assertThat(get("/oauth2/userinfo", tokens.accessToken()).statusCode()).isEqualTo(200);

        var second = redeem(client, code, LOOPBACK, pkce.verifier());
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(oauthError(second)).isEqualTo("invalid_grant");
        assertThat(second.headers().firstValue("Cache-Control")).hasValue("no-store");

        var refresh = refresh(client, tokens.refreshToken(), null);
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(oauthError(refresh)).isEqualTo("invalid_grant");
        var userinfo = get("/oauth2/userinfo", tokens.accessToken());
        assertThat(userinfo.statusCode()).isEqualTo(401);
        assertThat(userinfo.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");

        assertThat(revokedEvent(sid)).containsEntry("sessionId", sid).containsEntry("userId", user.userId())
                .containsEntry("organizationId", user.organizationId()).containsEntry("reason", "code_replay");
    }

    @Test
    void aCodeReplayedWhileItsFirstRedemptionIsStillRunningEndsTheSessionToo() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        for (int round = 0; round < 10; round++) {
            Pkce pkce = Pkce.create();
            String code = code(client, LOOPBACK, ALL_SCOPES, pkce, null, User.random());
            List<HttpResponse<String>> responses = race(2, () -> redeem(client, code, LOOPBACK, pkce.verifier()));

            List<HttpResponse<String>> won = responses.stream().filter(r -> r.statusCode() == 200).toList();
            assertThat(won).as("round %d", round).hasSizeLessThanOrEqualTo(1);
            for (var lost : responses.stream().filter(r -> r.statusCode() != 200).toList()) {
                assertThat(lost.statusCode()).isEqualTo(400);
                assertThat(oauthError(lost)).isEqualTo("invalid_grant");
            }
            for (var winner : won) {
                var refresh = refresh(client, Tokens.of(json(winner)).refreshToken(), null);
                assertThat(refresh.statusCode()).as("round %d: the replayed code's session still lives", round)
                        .isEqualTo(400);
                assertThat(oauthError(refresh)).isEqualTo("invalid_grant");
            }
        }
    }

    @Test
    void aWrongVerifierIsInvalidGrantAndBurnsTheCode() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Pkce pkce = Pkce.create();
        String code = code(client, LOOPBACK, ALL_SCOPES, pkce, null, User.random());

        var wrong = redeem(client, code, LOOPBACK, Pkce.create().verifier());
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(oauthError(wrong)).isEqualTo("invalid_grant");
        var right = redeem(client, code, LOOPBACK, pkce.verifier());
        assertThat(right.statusCode()).isEqualTo(400);
        assertThat(oauthError(right)).isEqualTo("invalid_grant");

        String another = code(client, LOOPBACK, ALL_SCOPES, pkce, null, User.random());
        var without = redeem(client, another, LOOPBACK, null);
        assertThat(without.statusCode()).isEqualTo(400);
        assertThat(oauthError(without)).isEqualTo("invalid_grant");

        String malformed = code(client, LOOPBACK, ALL_SCOPES, pkce, null, User.random());
        var tooShort = redeem(client, malformed, LOOPBACK, "abc");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(oauthError(tooShort)).isEqualTo("invalid_request");
    }

    @Test
    void aVerifierForACodeIssuedWithoutChallengeIsInvalidGrant() throws Exception {
        TestClient client = confidentialClient(ALL_SCOPES, List.of(), LOOPBACK);
        String code = code(client, LOOPBACK, ALL_SCOPES, null, null, User.random());
        var downgrade = redeem(client, code, LOOPBACK, Pkce.create().verifier());
        assertThat(downgrade.statusCode()).isEqualTo(400);
        assertThat(oauthError(downgrade)).isEqualTo("invalid_grant");

        String plainCode = code(client, LOOPBACK, ALL_SCOPES, null, null, User.random());
        var ok = redeem(client, plainCode, LOOPBACK, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok)).containsKeys("access_token", "id_token", "refresh_token");
    }

    @Test
    void aRedirectUriDifferentFromTheAuthorizationRequestIsInvalidGrant() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK, "https://app.example.com/callback");
        String asked = loopbackOnSomePort();
        List<String> mismatches = java.util.Arrays.asList(
                "http://127.0.0.1:" + (URI.create(asked).getPort() + 1) + "/callback",
                LOOPBACK,
                "https://app.example.com/callback",
                null);
        for (String presented : mismatches) {
            Pkce pkce = Pkce.create();
            String code = code(client, asked, ALL_SCOPES, pkce, null, User.random());
            var response = redeem(client, code, presented, pkce.verifier());
            assertThat(response.statusCode()).as("redirect_uri %s", presented).isEqualTo(400);
            assertThat(oauthError(response)).isEqualTo("invalid_grant");
        }
    }

    @Test
    void aCodeIssuedToAnotherClientIsInvalidGrant() throws Exception {
        TestClient victim = publicClient(ALL_SCOPES, LOOPBACK);
        TestClient attacker = publicClient(ALL_SCOPES, LOOPBACK);
        Pkce pkce = Pkce.create();
        String code = code(victim, LOOPBACK, ALL_SCOPES, pkce, null, User.random());
        var stolen = redeem(attacker, code, LOOPBACK, pkce.verifier());
        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(oauthError(stolen)).isEqualTo("invalid_grant");

        TestClient confidential = confidentialClient(ALL_SCOPES, List.of(), LOOPBACK);
        String other = code(victim, LOOPBACK, ALL_SCOPES, pkce, null, User.random());
        var byConfidential = redeem(confidential, other, LOOPBACK, pkce.verifier());
        assertThat(byConfidential.statusCode()).isEqualTo(400);
        assertThat(oauthError(byConfidential)).isEqualTo("invalid_grant");
    }

    @Test
    void rejectingTheChallengeRedirectsWithAccessDeniedStateAndIss() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        String redirectUri = loopbackOnSomePort();
        String challenge = challengeOf(authorize(authorization(client, redirectUri, ALL_SCOPES, Pkce.create(),
                "st&=ä", null)));

        var rejected = reject(challenge, "{\"errorDescription\":\"the user said no\"}");
        assertThat(rejected.statusCode()).isEqualTo(200);
        URI callback = URI.create((String) json(rejected).get("redirectTo"));
        assertThat(callback.getPort()).isEqualTo(URI.create(redirectUri).getPort());
        assertThat(query(callback)).containsExactly(Map.entry("error", "access_denied"),
                Map.entry("error_description", "the user said no"), Map.entry("state", "st&=ä"),
                Map.entry("iss", ISSUER));

        var late = accept(challenge, User.random());
        assertThat(late.statusCode()).isEqualTo(404);

        String other = challengeOf(authorize(authorization(client, LOOPBACK, ALL_SCOPES, Pkce.create(), "s", null)));
        var unknownError = reject(other, "{\"error\":\"server_error\"}");
        assertThat(unknownError.statusCode()).isEqualTo(400);
        assertThat(unknownError.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aChallengeIsAnsweredOnlyOnce() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        String challenge = challengeOf(authorize(authorization(client, LOOPBACK, ALL_SCOPES, Pkce.create(), "s",
                null)));
        assertThat(accept(challenge, User.random()).statusCode()).isEqualTo(200);

        for (var again : List.of(accept(challenge, User.random()), reject(challenge, "{}"),
                readChallenge(challenge, serviceToken()))) {
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(again)).containsEntry("type", "urn:gatehouse:problem:not-found");
        }
        assertThat(accept("made-up-challenge", User.random()).statusCode()).isEqualTo(404);

        String raced = challengeOf(authorize(authorization(client, LOOPBACK, ALL_SCOPES, Pkce.create(), "s", null)));
        serviceToken();
        List<HttpResponse<String>> answers = race(2, () -> accept(raced, User.random()));
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 404);
    }

    @Test
    void theLoginChallengeApiNeedsAnInternalServiceToken() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        String challenge = challengeOf(authorize(authorization(client, LOOPBACK, ALL_SCOPES, Pkce.create(), "s",
                null)));
        String path = "/internal/v1/login-challenges/" + challenge;

        for (var anonymous : List.of(get(path, null), postJson(path + "/accept", User.random().json(), null),
                postJson(path + "/reject", "{}", null))) {
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(get(path, "not-a-jwt").statusCode()).isEqualTo(401);

        TestClient reporting = register(spec(unique("reports"), "confidential", List.of("client_credentials"),
                List.of("reports.read"), List.of("gatehouse"), List.of()));
        String notInternal = serviceToken(reporting);
        TestClient userApp = confidentialClient(ALL_SCOPES, List.of("gatehouse"), LOOPBACK);
        String userToken = signIn(userApp, ALL_SCOPES, User.random()).accessToken();
        for (String token : List.of(notInternal, userToken)) {
            for (var forbidden : List.of(get(path, token), postJson(path + "/accept", User.random().json(), token),
                    postJson(path + "/reject", "{}", token))) {
                assertThat(forbidden.statusCode()).isEqualTo(403);
                assertThat(json(forbidden)).containsEntry("type", "urn:gatehouse:problem:forbidden");
            }
        }
        // none of that consumed the challenge
        assertThat(readChallenge(challenge, serviceToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void anInvalidUserAssertionIsRefusedWithoutConsumingTheChallenge() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        String challenge = challengeOf(authorize(authorization(client, LOOPBACK, ALL_SCOPES, Pkce.create(), "s",
                null)));
        var invalid = postJson("/internal/v1/login-challenges/" + challenge + "/accept",
                "{\"userId\":\"bad id!\",\"pictureUrl\":\"javascript:alert(1)\"}", serviceToken());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(readChallenge(challenge, serviceToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRegisteredQueryIsKeptAndTheCodeAppendedToIt() throws Exception {
        String registered = "https://app.example.com/callback?tenant=acme";
        TestClient client = publicClient(ALL_SCOPES, registered);
        Pkce pkce = Pkce.create();
        String challenge = challengeOf(authorize(authorization(client, registered, ALL_SCOPES, pkce, "s", null)));
        URI callback = acceptAndFollow(challenge, User.random());

        assertThat(callback.toString()).startsWith(registered + "&code=");
        assertThat(query(callback).keySet()).containsExactly("tenant", "code", "state", "iss");
        assertThat(redeem(client, query(callback).get("code"), registered, pkce.verifier()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void redirectUriMayBeOmittedOnlyForASingleNonLoopbackRegistration() throws Exception {
        TestClient single = publicClient(ALL_SCOPES, "com.example.app:/callback");
        Pkce pkce = Pkce.create();
        var params = authorization(single, "unused", ALL_SCOPES, pkce, "s", null);
        params.remove("redirect_uri");
        URI callback = acceptAndFollow(challengeOf(authorize(params)), User.random());
        assertThat(callback.toString()).startsWith("com.example.app:/callback?code=");
        // not named in the request: the token request may omit it too
        assertThat(redeem(single, query(callback).get("code"), null, pkce.verifier()).statusCode()).isEqualTo(200);

        for (TestClient ambiguous : List.of(publicClient(ALL_SCOPES, LOOPBACK),
                publicClient(ALL_SCOPES, "https://a.example.com/cb", "https://b.example.com/cb"))) {
            var without = authorization(ambiguous, "unused", ALL_SCOPES, Pkce.create(), "s", null);
            without.remove("redirect_uri");
            assertErrorPage(authorize(without));
        }
    }

    @Test
    void requestObjectsAreRefusedWithRequestNotSupported() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        var params = authorization(client, LOOPBACK, ALL_SCOPES, Pkce.create(), "s", null);
        params.put("request_uri", "urn:ietf:params:oauth:request_uri:abc");
        assertRedirectError(authorize(params), LOOPBACK, "request_not_supported", "s");
    }

    @Test
    void theAuthorizationRequestCanBeFormPosted() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        var posted = post("/oauth2/authorize", authorization(client, LOOPBACK, ALL_SCOPES, Pkce.create(), "s", null),
                null);
        assertThat(challengeOf(posted)).isNotBlank();
    }

    @Test
    void aUserWithoutOrganizationGetsNoOrganizationClaims() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Pkce pkce = Pkce.create();
        String challenge = challengeOf(authorize(authorization(client, LOOPBACK, ALL_SCOPES, pkce, "s", null)));
        var accepted = postJson("/internal/v1/login-challenges/" + challenge + "/accept",
                "{\"userId\":\"usr_solo\"}", serviceToken());
        assertThat(accepted.statusCode()).isEqualTo(200);
        String code = query(URI.create((String) json(accepted).get("redirectTo"))).get("code");
        Tokens tokens = Tokens.of(json(redeem(client, code, LOOPBACK, pkce.verifier())));

        JWTClaimsSet access = verified(tokens.accessToken(), AT_JWT);
        assertThat(access.getSubject()).isEqualTo("usr_solo");
        assertThat(access.getClaims()).doesNotContainKeys("org_id", "permissions", "email", "name", "picture_url");
        assertThat(verified(tokens.idToken(), JOSEObjectType.JWT).getClaims()).containsKey("auth_time");
    }

    @Test
    void aConfidentialClientMustAuthenticateToRedeem() throws Exception {
        TestClient client = confidentialClient(ALL_SCOPES, List.of(), LOOPBACK);
        Pkce pkce = Pkce.create();
        String code = code(client, LOOPBACK, ALL_SCOPES, pkce, null, User.random());
        var anonymous = redeem(new TestClient(client.id(), null), code, LOOPBACK, pkce.verifier());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(oauthError(anonymous)).isEqualTo("invalid_client");
        var wrongSecret = redeem(new TestClient(client.id(), "ghcs_wrong"), code, LOOPBACK, pkce.verifier());
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        // failed client authentication does not consume the code
        assertThat(redeem(client, code, LOOPBACK, pkce.verifier()).statusCode()).isEqualTo(200);
    }

    private static void assertErrorPage(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/html"));
        assertThat(response.body()).contains("This sign-in link is not valid");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    private static void assertRedirectError(HttpResponse<String> response, String redirectUri, String error,
                                            String state) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        String location = location(response);
        assertThat(location).startsWith(redirectUri + "?");
        Map<String, String> params = query(URI.create(location));
        assertThat(params).containsEntry("error", error).containsEntry("state", state).containsEntry("iss", ISSUER)
                .doesNotContainKey("code");
    }
}
