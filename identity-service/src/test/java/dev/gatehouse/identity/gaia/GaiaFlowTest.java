package dev.gatehouse.identity.gaia;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.identity.apps.AppsFixture;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.upstream.Pkce;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.gatehouse.identity.apps.AppsFixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000 end to end: GAIA's desktop and mobile sign-ins ending in a deep link with a one-time code redeemed with
 * PKCE at session-service's token endpoint, and the web sign-in ending with the sealed {@code wos_session} cookie.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaiaFlowTest {
    private static final String DESKTOP = "gaia://auth/callback";
    private static final String MOBILE = "gaiamobile://auth/callback";
    private AppsFixture fixture;

    @BeforeAll
    void up() {
        fixture = new AppsFixture(Map.of());
        List<String> scopes = List.of("openid", "profile", "email", "offline_access");
        fixture.client(Map.of("clientId", "gaia-desktop", "type", "public", "displayName", "GAIA desktop",
                "grantTypes", List.of("authorization_code", "refresh_token"), "redirectUris", List.of(DESKTOP),
                "scopes", scopes, "audiences", List.of("https://gaia.localhost/api")));
        fixture.client(Map.of("clientId", "gaia-mobile", "type", "public", "displayName", "GAIA mobile",
                "grantTypes", List.of("authorization_code", "refresh_token"), "redirectUris", List.of(MOBILE),
                "scopes", scopes, "audiences", List.of("https://gaia.localhost/api")));
        fixture.client(Map.of("clientId", "gaia-web", "type", "public", "displayName", "GAIA web",
                "grantTypes", List.of("authorization_code"), "redirectUris", List.of("https://app.gaia.test/cb"),
                "scopes", List.of("openid", "profile", "email"), "audiences", List.of("https://gaia.localhost/api")));
    }

    @AfterAll
    void down() {
        fixture.close();
    }

    private record AppCallback(String verifier, String email, Map<String, String> deepLink, String location) {
    }

    /** Plays the app and the user: start, sign in at Google, come back; returns the deep link the app receives. */
    private AppCallback appSignIn(String platform, String verifier) {
        String email = platform + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String start = "/api/v1/oauth/login/workos/" + platform + "?code_challenge=" + Pkce.challenge(verifier)
                + "&code_challenge_method=S256&state=app-state-42";
        var started = fixture.browser().get(start);
        String googleUrl;
        if (platform.equals("desktop")) {
            assertThat(started.status()).as(started.toString()).isEqualTo(302);
            googleUrl = started.header("Location").orElseThrow();
        } else {
            assertThat(started.status()).as(started.toString()).isEqualTo(200);
            googleUrl = started.json().path("url").asText();
        }
        assertThat(googleUrl).startsWith(fixture.google.authorizationEndpointUrl("google").toString());
        Map<String, String> back = fixture.signInAtGoogle(googleUrl, "google-" + email, email);
        assertThat(back.get("redirect")).isEqualTo(platform.equals("desktop") ? AppsFixture.GAIA_DESKTOP_CALLBACK
                : AppsFixture.GAIA_MOBILE_CALLBACK);
        var callback = fixture.browser().get("/api/v1/oauth/workos/" + platform + "/callback?"
                + AppsFixture.query(back, "code", "state"));
        assertThat(callback.status()).as(callback.toString()).isEqualTo(302);
        String location = callback.header("Location").orElseThrow();
        return new AppCallback(verifier, email, AppsFixture.redirectParameters(location), location);
    }

    private StackHttp.Reply redeem(String clientId, String redirectUri, String code, String verifier) {
        String form = "grant_type=authorization_code&client_id=" + clientId + "&redirect_uri=" + enc(redirectUri)
                + "&code=" + enc(code) + (verifier == null ? "" : "&code_verifier=" + enc(verifier));
        return fixture.stack.platformServices().session().request("POST", "/oauth2/token", form,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    @Test
    void desktopSignInEndsInTheDeepLinkWithAOneTimeCodeRedeemedWithPkce() {
        AppCallback app = appSignIn("desktop", Pkce.newVerifier());
        assertThat(app.deepLink().get("redirect")).isEqualTo(DESKTOP);
        assertThat(app.deepLink()).containsKey("code").containsEntry("state", "app-state-42")
                .containsEntry("iss", fixture.issuer);
        assertThat(app.location()).doesNotContain("token").doesNotContain("eyJ");
        var tokens = redeem("gaia-desktop", DESKTOP, app.deepLink().get("code"), app.verifier());
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        JsonNode body = tokens.json();
        assertThat(body.path("access_token").asText()).isNotBlank();
        assertThat(body.path("refresh_token").asText()).startsWith("ghr_");
        assertThat(body.path("id_token").asText()).isNotBlank();
        // the app's token identifies the user at the current-user endpoint
        var me = fixture.browser().get("/api/v1/user/me", "Bearer " + body.path("access_token").asText());
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(app.email());
        assertThat(me.json().path("user_id").asText()).startsWith("usr_");
        assertThat(me.json().path("name").asText()).isEqualTo("Ada Lovelace");
        // the code is single use: a replay is refused
        var replay = redeem("gaia-desktop", DESKTOP, app.deepLink().get("code"), app.verifier());
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aWrongOrMissingVerifierIsRefused() {
        AppCallback wrong = appSignIn("desktop", Pkce.newVerifier());
        var refused = redeem("gaia-desktop", DESKTOP, wrong.deepLink().get("code"), Pkce.newVerifier());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("invalid_grant");
        AppCallback missing = appSignIn("desktop", Pkce.newVerifier());
        var noVerifier = redeem("gaia-desktop", DESKTOP, missing.deepLink().get("code"), null);
        assertThat(noVerifier.status()).isEqualTo(400);
        assertThat(noVerifier.json().path("error").asText()).isIn("invalid_grant", "invalid_request");
        // another client cannot redeem the code either
        AppCallback stolen = appSignIn("desktop", Pkce.newVerifier());
        var otherClient = redeem("gaia-mobile", MOBILE, stolen.deepLink().get("code"), stolen.verifier());
        assertThat(otherClient.status()).isEqualTo(400);
    }

    @Test
    void mobileSignInAnswersTheUrlAndEndsInItsOwnDeepLink() {
        AppCallback app = appSignIn("mobile", Pkce.newVerifier());
        assertThat(app.deepLink().get("redirect")).isEqualTo(MOBILE);
        assertThat(app.deepLink()).containsEntry("state", "app-state-42");
        var tokens = redeem("gaia-mobile", MOBILE, app.deepLink().get("code"), app.verifier());
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        var me = fixture.browser().get("/api/v1/user/me", "Bearer " + tokens.json().path("access_token").asText());
        assertThat(me.json().path("email").asText()).isEqualTo(app.email());
        assertThat(redeem("gaia-mobile", MOBILE, app.deepLink().get("code"), app.verifier()).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaia://evil/callback", "https://evil.example/callback", "gaia://auth/callback/x",
            "gaiamobile://auth/callback"})
    void anUnregisteredRedirectIsRefusedWithoutRedirecting(String redirectUri) {
        var started = fixture.browser().get("/api/v1/oauth/login/workos/desktop?code_challenge="
                + Pkce.challenge(Pkce.newVerifier()) + "&code_challenge_method=S256&redirect_uri=" + enc(redirectUri));
        assertThat(started.status()).isEqualTo(400);
        assertThat(started.header("Location")).isEmpty();
        assertThat(started.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:validation-failed");
    }

    @Test
    void anAppStartNeedsAnS256Challenge() {
        assertThat(fixture.browser().get("/api/v1/oauth/login/workos/desktop").status()).isEqualTo(400);
        assertThat(fixture.browser().get("/api/v1/oauth/login/workos/mobile?code_challenge="
                + Pkce.challenge(Pkce.newVerifier()) + "&code_challenge_method=plain").status()).isEqualTo(400);
        assertThat(fixture.browser().get("/api/v1/oauth/login/workos/desktop?code_challenge=short"
                + "&code_challenge_method=S256").status()).isEqualTo(400);
    }

    @Test
    void aWrongOrReplayedStateAtTheAppCallbackIsRefused() {
        String verifier = Pkce.newVerifier();
        var started = fixture.browser().get("/api/v1/oauth/login/workos/desktop?code_challenge="
                + Pkce.challenge(verifier) + "&code_challenge_method=S256");
        Map<String, String> back = fixture.signInAtGoogle(started.header("Location").orElseThrow(),
                "google-replay", "replay@example.com");
        assertThat(fixture.browser().get("/api/v1/oauth/workos/desktop/callback?code=x&state=nope").status())
                .isEqualTo(400);
        // a desktop state is not a mobile state
        assertThat(fixture.browser().get("/api/v1/oauth/workos/mobile/callback?"
                + AppsFixture.query(back, "code", "state")).status()).isEqualTo(400);
        assertThat(fixture.browser().get("/api/v1/oauth/workos/desktop/callback?"
                + AppsFixture.query(back, "code", "state")).status()).isEqualTo(400);
    }

    @Test
    void aDeniedSignInEndsInTheDeepLinkWithAnErrorAndNoCode() {
        var started = fixture.browser().get("/api/v1/oauth/login/workos/desktop?code_challenge="
                + Pkce.challenge(Pkce.newVerifier()) + "&code_challenge_method=S256&state=s1");
        String state = AppsFixture.redirectParameters(started.header("Location").orElseThrow()).get("state");
        var callback = fixture.browser().get("/api/v1/oauth/workos/desktop/callback?error=access_denied&state="
                + enc(state));
        assertThat(callback.status()).isEqualTo(302);
        Map<String, String> link = AppsFixture.redirectParameters(callback.header("Location").orElseThrow());
        assertThat(link.get("redirect")).isEqualTo(DESKTOP);
        assertThat(link).containsEntry("error", "access_denied").containsEntry("state", "s1").doesNotContainKey("code");
    }

    @Test
    void webSignInSetsTheSealedSessionCookieAndTheCurrentUserIsKnownUntilLogout() {
        StackHttp browser = fixture.browser();
        var started = browser.get("/api/v1/oauth/login/workos");
        assertThat(started.status()).isEqualTo(302);
        String email = "web-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Map<String, String> back = fixture.signInAtGoogle(started.header("Location").orElseThrow(),
                "google-" + email, email);
        assertThat(back.get("redirect")).isEqualTo(AppsFixture.GAIA_WEB_CALLBACK);
        var callback = browser.get("/api/v1/oauth/workos/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(callback.status()).as(callback.toString()).isEqualTo(302);
        assertThat(callback.header("Location")).hasValue(AppsFixture.GAIA_FRONTEND + "/redirect");
        var cookie = callback.setCookie("wos_session").orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.sameSite()).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("Lax"));
        assertThat(cookie.value().split("\\.")).hasSize(5); // a JWE: sealed, opaque to the browser
        assertThat(cookie.value()).doesNotContain(email);
        var me = browser.get("/api/v1/user/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(email);
        assertThat(me.json().path("user_id").asText()).startsWith("usr_");
        assertThat(me.json().path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(me.json().path("picture_url").asText()).isEqualTo("https://lh3.googleusercontent.test/ada.png");
        // missing and corrupted cookies are 401
        assertThat(fixture.browser().get("/api/v1/user/me").status()).isEqualTo(401);
        assertThat(fixture.browser().request("GET", "/api/v1/user/me", null,
                Map.of("Cookie", "wos_session=" + cookie.value().substring(0, cookie.value().length() - 3) + "xyz"))
                .status()).isEqualTo(401);
        // logout revokes the session: the old cookie no longer works
        var logout = browser.request("POST", "/api/v1/oauth/logout", null, Map.of());
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.setCookie("wos_session").orElseThrow().expired()).isTrue();
        var after = fixture.browser().request("GET", "/api/v1/user/me", null,
                Map.of("Cookie", "wos_session=" + cookie.value()));
        assertThat(after.status()).isEqualTo(401);
    }

    @Test
    void aWebCallbackFromAnotherBrowserIsRefused() {
        StackHttp victim = fixture.browser();
        var started = victim.get("/api/v1/oauth/login/workos");
        Map<String, String> back = fixture.signInAtGoogle(started.header("Location").orElseThrow(),
                "google-csrf", "csrf@example.com");
        StackHttp attacker = fixture.browser();
        var callback = attacker.get("/api/v1/oauth/workos/callback?" + AppsFixture.query(back, "code", "state"));
        assertThat(callback.status()).isEqualTo(302);
        assertThat(callback.header("Location")).hasValue(AppsFixture.GAIA_FRONTEND + "/login?error=invalid_state");
        assertThat(callback.setCookie("wos_session")).isEmpty();
    }
}
