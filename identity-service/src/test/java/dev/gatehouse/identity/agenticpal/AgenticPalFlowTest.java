package dev.gatehouse.identity.agenticpal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.identity.apps.AppsFixture;
import dev.gatehouse.identity.apps.Secrets;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.vault.TokenVault;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.UUID;

import static dev.gatehouse.identity.apps.AppsFixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** Seed 003 end to end: identity-service on the real platform, Google played by mock-oauth2-server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgenticPalFlowTest {
    private static final String SESSION_KEY = "gatehouse:identity:agenticpal:session:";
    private AppsFixture fixture;

    @BeforeAll
    void up() {
        fixture = new AppsFixture(Map.of());
    }

    @AfterAll
    void down() {
        fixture.close();
    }

    /** A browser that went through the whole sign-in, with its session cookie. */
    private record SignedIn(StackHttp browser, String email, String sessionId) {
    }

    private SignedIn signIn(String frontendRedirect) {
        StackHttp browser = fixture.browser();
        String email = "ada-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var login = browser.get("/auth/google/login" + (frontendRedirect == null ? ""
                : "?frontend_redirect=" + enc(frontendRedirect)));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        Map<String, String> back = fixture.signInAtGoogle(login.json().path("authorization_url").asText(),
                "google-" + email, email);
        assertThat(back.get("redirect")).isEqualTo(AppsFixture.AP_CALLBACK);
        var callback = browser.get("/auth/google/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(callback.status()).as(callback.toString()).isEqualTo(302);
        return new SignedIn(browser, email, browser.cookie("session_id").orElseThrow());
    }

    private TokenVault vault() {
        return fixture.stack.bean(TokenVault.class);
    }

    @SuppressWarnings("unchecked")
    private StatefulRedisConnection<String, String> redis() {
        return fixture.stack.bean(StatefulRedisConnection.class);
    }

    @Test
    void loginAnswersTheGoogleUrlWithForcedConsentAndSetsTheSessionCookie() {
        StackHttp browser = fixture.browser();
        var login = browser.get("/auth/google/login?frontend_redirect=" + enc("http://localhost:3000/dashboard"));
        assertThat(login.status()).isEqualTo(200);
        String url = login.json().path("authorization_url").asText();
        assertThat(url).startsWith(fixture.google.authorizationEndpointUrl("google").toString())
                .contains("response_type=code", "client_id=" + AppsFixture.GOOGLE_CLIENT, "prompt=consent",
                        "access_type=offline", "code_challenge_method=S256", "state=", "nonce=",
                        "redirect_uri=" + enc(AppsFixture.AP_CALLBACK), enc("https://www.googleapis.com/auth/calendar"),
                        enc("https://mail.google.com/"), enc("https://www.googleapis.com/auth/tasks"),
                        enc("https://www.googleapis.com/auth/userinfo.email"), "openid");
        var cookie = login.setCookie("session_id").orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.sameSite()).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("Lax"));
        assertThat(cookie.attributes()).containsEntry("max-age", "604800").containsEntry("path", "/");
        assertThat(cookie.value()).hasSize(43);
        // Redis keeps a digest, never the cookie value
        assertThat(redis().sync().exists(SESSION_KEY + cookie.value())).isZero();
        assertThat(redis().sync().exists(SESSION_KEY + Secrets.digest(cookie.value()))).isOne();
        // an anonymous session: not authenticated yet
        var session = browser.get("/auth/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.json().path("authenticated").asBoolean()).isFalse();
        assertThat(session.json().path("user_email").isTextual()).isFalse();
    }

    @Test
    void theWholeFlowSignsInKeepsTheGoogleTokensEncryptedAndLogsOut() {
        SignedIn user = signIn("http://localhost:3000/dashboard");
        var session = user.browser().get("/auth/session");
        assertThat(session.status()).isEqualTo(200);
        JsonNode body = session.json();
        assertThat(body.path("session_id").asText()).isEqualTo(user.sessionId());
        assertThat(body.path("user_email").asText()).isEqualTo(user.email());
        assertThat(body.path("authenticated").asBoolean()).isTrue();
        assertThat(body.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        // the tokens are in the vault, sealed
        String userId = Db.userId(fixture, user.email());
        String sealedAccess = Db.query(fixture, "select access_token from upstream_token where user_id = ?", userId);
        String sealedRefresh = Db.query(fixture, "select refresh_token from upstream_token where user_id = ?", userId);
        var plain = vault().peek(userId, "google").orElseThrow();
        assertThat(plain.refreshToken()).isNotBlank();
        assertThat(sealedAccess).startsWith("v1.dev.").isNotEqualTo(plain.accessToken())
                .doesNotContain(plain.accessToken().substring(0, 20));
        assertThat(sealedRefresh).startsWith("v1.dev.").doesNotContain(plain.refreshToken());
        // manual refresh: a new Google access token
        var refresh = user.browser().request("POST", "/auth/refresh", null, Map.of());
        assertThat(refresh.status()).as(refresh.toString()).isEqualTo(200);
        assertThat(refresh.json().path("message").asText()).isEqualTo("Credentials refreshed successfully");
        assertThat(vault().peek(userId, "google").orElseThrow().accessToken()).isNotEqualTo(plain.accessToken());
        // logout: session and credentials gone, cookie cleared
        var logout = user.browser().request("POST", "/auth/logout", null, Map.of());
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.json().path("message").asText()).isEqualTo("Successfully logged out");
        assertThat(logout.setCookie("session_id").orElseThrow().expired()).isTrue();
        assertThat(Db.query(fixture, "select user_id from upstream_token where user_id = ?", userId)).isNull();
        var gone = user.browser().request("GET", "/auth/session", null,
                Map.of("Cookie", "session_id=" + user.sessionId()));
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.json().path("error").asText()).isEqualTo("session_expired");
        assertThat(gone.json().path("message").asText()).isEqualTo("Session has expired. Please log in again.");
    }

    @Test
    void theCallbackRedirectsToTheFrontendWithANewSessionId() {
        StackHttp browser = fixture.browser();
        var login = browser.get("/auth/google/login?frontend_redirect=" + enc("https://app.agenticpal.test/home?x=1"));
        String before = browser.cookie("session_id").orElseThrow();
        Map<String, String> back = fixture.signInAtGoogle(login.json().path("authorization_url").asText(),
                "google-rotation", "rotation@example.com");
        var callback = browser.get("/auth/google/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(callback.status()).isEqualTo(302);
        assertThat(callback.header("Location")).hasValue("https://app.agenticpal.test/home?x=1");
        var cookie = callback.setCookie("session_id").orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.value()).isNotEqualTo(before);
        // the pre-login session id is dead (no session fixation)
        var old = browser.request("GET", "/auth/session", null, Map.of("Cookie", "session_id=" + before));
        assertThat(old.json().path("error").asText()).isEqualTo("session_expired");
    }

    @Test
    void withoutFrontendRedirectTheBrowserGoesToTheFrontendUrl() {
        StackHttp browser = fixture.browser();
        var login = browser.get("/auth/google/login");
        Map<String, String> back = fixture.signInAtGoogle(login.json().path("authorization_url").asText(),
                "google-default", "default@example.com");
        var callback = browser.get("/auth/google/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(callback.header("Location")).hasValue(AppsFixture.FRONTEND);
    }

    @Test
    void sessionsSlideOnEveryAccessAndExpireAfterInactivity() throws Exception {
        SignedIn user = signIn(null);
        String key = SESSION_KEY + Secrets.digest(user.sessionId());
        redis().sync().expire(key, 100);
        assertThat(redis().sync().ttl(key)).isLessThanOrEqualTo(100);
        assertThat(user.browser().get("/auth/session").status()).isEqualTo(200);
        assertThat(redis().sync().ttl(key)).isGreaterThan(604_000);
        // inactivity: the TTL runs out
        redis().sync().pexpire(key, 300);
        Thread.sleep(600);
        var expired = user.browser().get("/auth/session");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("error").asText()).isEqualTo("session_expired");
        var refresh = user.browser().request("POST", "/auth/refresh", null, Map.of());
        assertThat(refresh.json().path("error").asText()).isEqualTo("session_expired");
    }

    @Test
    void withoutACookieTheAnswerIsNoSession() {
        StackHttp browser = fixture.browser();
        var session = browser.get("/auth/session");
        assertThat(session.status()).isEqualTo(401);
        assertThat(session.json().path("error").asText()).isEqualTo("no_session");
        assertThat(session.json().path("message").asText()).isEqualTo("No active session");
        var refresh = browser.request("POST", "/auth/refresh", null, Map.of());
        assertThat(refresh.status()).isEqualTo(401);
        assertThat(refresh.json().path("error").asText()).isEqualTo("no_session");
        var garbage = browser.request("GET", "/auth/session", null, Map.of("Cookie", "session_id=nonsense"));
        assertThat(garbage.json().path("error").asText()).isEqualTo("session_expired");
    }

    @Test
    void aWrongMissingOrReplayedStateIsInvalidState() {
        StackHttp browser = fixture.browser();
        var login = browser.get("/auth/google/login");
        Map<String, String> back = fixture.signInAtGoogle(login.json().path("authorization_url").asText(),
                "google-state", "state@example.com");
        for (String path : new String[]{"/auth/google/callback?code=" + enc(back.get("code")),
                "/auth/google/callback?code=" + enc(back.get("code")) + "&state=" + Secrets.token(),
                "/auth/google/callback?code=x&state=not-a-state"}) {
            var wrong = browser.get(path);
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_state");
            assertThat(wrong.json().path("message").asText())
                    .isEqualTo("Invalid or expired OAuth state. Please try logging in again.");
        }
        // another browser presenting this browser's state: refused, and the state is spent
        StackHttp attacker = fixture.browser();
        attacker.get("/auth/google/login");
        var stolen = attacker.get("/auth/google/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(stolen.json().path("error").asText()).isEqualTo("invalid_state");
        var replay = browser.get("/auth/google/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(replay.json().path("error").asText()).isEqualTo("invalid_state");
        // a fresh state works once, then is spent
        var again = browser.get("/auth/google/login");
        Map<String, String> ok = fixture.signInAtGoogle(again.json().path("authorization_url").asText(),
                "google-state", "state@example.com");
        assertThat(browser.get("/auth/google/callback?" + AppsFixture.query(ok, "code", "state")).status())
                .isEqualTo(302);
        var reused = browser.get("/auth/google/callback?" + AppsFixture.query(ok, "code", "state"));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.json().path("error").asText()).isEqualTo("invalid_state");
    }

    @Test
    void aRefusedCodeOrADeniedConsentIsTokenExchangeError() {
        StackHttp browser = fixture.browser();
        var login = browser.get("/auth/google/login");
        Map<String, String> back = fixture.signInAtGoogle(login.json().path("authorization_url").asText(),
                "google-x", "exchange@example.com");
        fixture.refuseNextTokenRequest("invalid_grant");
        var callback = browser.get("/auth/google/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(callback.status()).isEqualTo(400);
        assertThat(callback.json().path("error").asText()).isEqualTo("token_exchange_error");
        assertThat(callback.json().path("message").asText()).startsWith("Failed to exchange authorization code: ");
        // the user denied consent at Google
        var denied = browser.get("/auth/google/login");
        String state = AppsFixture.redirectParameters(denied.json().path("authorization_url").asText()).get("state");
        var error = browser.get("/auth/google/callback?error=access_denied&state=" + enc(state));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.json().path("error").asText()).isEqualTo("token_exchange_error");
    }

    @Test
    void refreshWithoutARefreshTokenOrWhenGoogleRefusesIsReported() {
        SignedIn user = signIn(null);
        String userId = Db.userId(fixture, user.email());
        fixture.refuseNextTokenRequest("invalid_grant");
        var failed = user.browser().request("POST", "/auth/refresh", null, Map.of());
        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.json().path("error").asText()).isEqualTo("refresh_failed");
        assertThat(failed.json().path("message").asText()).startsWith("Failed to refresh credentials: ");
        Db.update(fixture, "update upstream_token set refresh_token = null where user_id = ?", userId);
        var none = user.browser().request("POST", "/auth/refresh", null, Map.of());
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().path("error").asText()).isEqualTo("no_refresh_token");
        assertThat(none.json().path("message").asText())
                .isEqualTo("No refresh token available. Please log in again.");
        // an anonymous session has no refresh token either
        StackHttp anonymous = fixture.browser();
        anonymous.get("/auth/google/login");
        assertThat(anonymous.request("POST", "/auth/refresh", null, Map.of()).json().path("error").asText())
                .isEqualTo("no_refresh_token");
    }

    @Test
    void anExpiredGoogleTokenIsRefreshedWhenTheSessionIsRead() {
        SignedIn user = signIn(null);
        String userId = Db.userId(fixture, user.email());
        String before = vault().peek(userId, "google").orElseThrow().accessToken();
        Db.update(fixture, "update upstream_token set expires_at = now() - interval '1 minute' where user_id = ?",
                userId);
        var session = user.browser().get("/auth/session");
        assertThat(session.json().path("authenticated").asBoolean()).isTrue();
        assertThat(vault().peek(userId, "google").orElseThrow().accessToken()).isNotEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/", "//evil.example/", "/\\evil.example", "https:\\\\evil.example",
            "https://app.agenticpal.test.evil.example/", "https://app.agenticpal.test@evil.example/",
            "javascript:alert(1)", "http://app.agenticpal.test/", "http://localhost:3001/", "/dashboard"})
    void openRedirectAttemptsAreRefused(String target) {
        StackHttp browser = fixture.browser();
        var login = browser.get("/auth/google/login?frontend_redirect=" + enc(target));
        assertThat(login.status()).isEqualTo(400);
        assertThat(login.json().path("error").asText()).isEqualTo("invalid_redirect");
        assertThat(login.body()).doesNotContain("authorization_url");
    }
}
