package dev.gatehouse.identity.pages;

import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.gatehouse.identity.pages.PageFlows.fields;
import static dev.gatehouse.identity.pages.PageFlows.hidden;
import static dev.gatehouse.identity.pages.PageFlows.post;
import static dev.gatehouse.identity.pages.PageFlows.query;
import static dev.gatehouse.identity.pages.PageFlows.refreshTarget;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted pages over HTTP against the real platform (session- and tenant-service, PostgreSQL, Redis, Kafka):
 * each page, the login-challenge flow to a redeemed code, the organization picker, consent, the device page, theming,
 * and the refusals (CSRF, expired or replayed steps, open redirects).
 */
class HostedPagesTest {
    static IdentityStack stack;
    static PageFlows.Client thirdParty;
    static PageFlows.Client firstParty;

    @BeforeAll
    static void up() {
        firstParty = null;
        // a loaded CI machine: more than the default 5 s towards session- and tenant-service
        stack = IdentityStack.start(Map.of("gatehouse.identity.platform.timeout-millis", 20_000));
        thirdParty = PageFlows.Client.register(stack, "Acme Notes", "https://notes.example.com/callback",
                List.of("authorization_code", "refresh_token"));
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    static User user(String password) {
        String email = "page-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        return stack.bean(UserDirectory.class).create(new NewUser(email, true, "Page User", null,
                stack.bean(PasswordHasher.class).hash(password), "test"));
    }

    /** Email and password on the hosted pages; the answer is the page after the password. */
    static StackHttp.Reply signIn(StackHttp browser, String start, String email, String password) {
        var page = browser.get(start);
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        var methods = post(browser, "/login", fields(page, Map.of("email", email)));
        assertThat(methods.status()).as("%s", methods).isEqualTo(200);
        return post(browser, "/login/password", fields(methods, Map.of("password", password)));
    }

    @Test
    void signInPageIsAccessibleAndSetsTheCsrfCookieAndStrictHeaders() {
        StackHttp browser = stack.newBrowser();
        var page = browser.get("/login");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<html lang=\"en\"").contains("<label for=\"email\">Email address</label>")
                .contains("id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\"")
                .contains("name=\"viewport\"").contains("href=\"#main\"").doesNotContain("<script");
        assertThat(page.header("Content-Security-Policy").orElseThrow()).isEqualTo(PageHeadersFilter.CSP)
                .contains("default-src 'none'").contains("frame-ancestors 'none'").contains("form-action 'self'");
        assertThat(page.header("X-Frame-Options")).contains("DENY");
        assertThat(page.header("Cache-Control")).contains("no-store");
        assertThat(page.header("Referrer-Policy")).contains("no-referrer");
        var cookie = page.setCookie(Csrf.COOKIE).orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.sameSite()).contains("Lax");
        assertThat(hidden(page, Csrf.FIELD)).hasSize(43).isNotEqualTo(cookie.value());
        // the same browser keeps its binding: no new cookie, the same token
        var again = browser.get("/login");
        assertThat(again.setCookie(Csrf.COOKIE)).isEmpty();
        assertThat(hidden(again, Csrf.FIELD)).isEqualTo(hidden(page, Csrf.FIELD));
        // the stylesheets the CSP allows
        assertThat(browser.get("/login/assets/pages.css").status()).isEqualTo(200);
        assertThat(browser.get("/login/theme/default.css").body()).contains("--gh-primary:#1f4fd1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/login/password", "/login/magic/send", "/login/magic", "/login/organization",
            "/login/consent", "/device", "/device/decision", "/signup"})
    void formsWithoutAValidCsrfTokenAreRefused(String path) {
        StackHttp browser = stack.newBrowser();
        var page = browser.get("/login");
        String token = hidden(page, Csrf.FIELD);
        Map<String, String> body = Map.of("email", "someone@example.com", "password", "whatever-it-is",
                "code", "123456", "user_code", "BCDF-GHJK", "decision", "approve");
        // no token
        var missing = post(browser, path, body);
        assertThat(missing.status()).as("%s", missing).isEqualTo(403);
        assertThat(missing.body()).contains("This form has expired");
        // a wrong token
        var wrong = post(browser, path, withToken(body, token.substring(1) + "x"));
        assertThat(wrong.status()).isEqualTo(403);
        // a valid token of another browser
        StackHttp other = stack.newBrowser();
        String othersToken = hidden(other.get("/login"), Csrf.FIELD);
        assertThat(post(browser, path, withToken(body, othersToken)).status()).isEqualTo(403);
        // the right token without the cookie
        StackHttp noCookie = stack.newBrowser();
        assertThat(post(noCookie, path, withToken(body, token)).status()).isEqualTo(403);
        // the right token, sent by another site
        var crossSite = browser.request("POST", path, PageFlows.form(withToken(body, token)),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"));
        assertThat(crossSite.status()).isEqualTo(403);
    }

    private static Map<String, String> withToken(Map<String, String> body, String token) {
        var out = new java.util.LinkedHashMap<>(body);
        out.put(Csrf.FIELD, token);
        return out;
    }

    @Test
    void aMalformedEmailIsShownInAnErrorSummaryLinkedToTheField() {
        StackHttp browser = stack.newBrowser();
        var page = browser.get("/login");
        var answer = post(browser, "/login", fields(page, Map.of("email", "not-an-address")));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("<title>Error: Sign in")
                .contains("role=\"alert\"").contains("href=\"#email\"")
                .contains("aria-invalid=\"true\"").contains("aria-describedby=\"email-error\"");
    }

    @Test
    void authorizationRequestSignInConsentAndCodeRedeemedAtTheTokenEndpoint() throws Exception {
        User user = user("correct horse battery staple");
        var pkce = PageFlows.Pkce.create();
        String challenge = PageFlows.loginChallenge(stack, thirdParty, pkce, "st-1");
        StackHttp browser = stack.newBrowser();
        var start = browser.get("/login?login_challenge=" + challenge);
        assertThat(start.body()).contains("Acme Notes");
        var consent = signIn(browser, "/login?login_challenge=" + challenge, user.email(),
                "correct horse battery staple");
        assertThat(consent.status()).as("%s", consent).isEqualTo(200);
        assertThat(consent.body()).contains("Allow Acme Notes?").contains("See your email address");
        assertThat(browser.cookie(LoginSessions.COOKIE)).isPresent();
        var done = post(browser, "/login/consent", fields(consent, Map.of("decision", "allow")));
        assertThat(done.status()).as("%s", done).isEqualTo(200);
        URI target = refreshTarget(done);
        assertThat(target.toString()).startsWith("https://notes.example.com/callback?");
        Map<String, String> params = query(target);
        assertThat(params).containsEntry("state", "st-1").containsKey("code").containsKey("iss");
        var tokens = PageFlows.redeem(stack, thirdParty, params.get("code"), pkce);
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        var claims = PageFlows.claims(tokens.json().path("id_token").asText());
        assertThat(claims.path("sub").asText()).isEqualTo(user.id());
        assertThat(claims.path("nonce").asText()).isEqualTo("n-st-1");

        // the consent is remembered: the next authorization request of this client skips it
        var pkce2 = PageFlows.Pkce.create();
        String second = PageFlows.loginChallenge(stack, thirdParty, pkce2, "st-2");
        var direct = signIn(stack.newBrowser(), "/login?login_challenge=" + second, user.email(),
                "correct horse battery staple");
        assertThat(refreshTarget(direct).toString()).contains("state=st-2");

        // the challenge was answered: it cannot be used again
        var replay = browser.get("/login?login_challenge=" + challenge);
        assertThat(replay.status()).isEqualTo(410);
        assertThat(replay.body()).contains("expired or was already used");
        // a consent token works once
        assertThat(post(browser, "/login/consent", fields(consent, Map.of("decision", "allow"))).status())
                .isEqualTo(410);
    }

    @Test
    void denyingConsentSendsTheClientAccessDenied() {
        User user = user("another long password");
        var pkce = PageFlows.Pkce.create();
        String challenge = PageFlows.loginChallenge(stack, thirdParty, pkce, "st-deny");
        StackHttp browser = stack.newBrowser();
        var consent = signIn(browser, "/login?login_challenge=" + challenge, user.email(), "another long password");
        var denied = post(browser, "/login/consent", fields(consent, Map.of("decision", "deny")));
        assertThat(denied.status()).isEqualTo(200);
        Map<String, String> params = query(refreshTarget(denied));
        assertThat(params).containsEntry("error", "access_denied").containsEntry("state", "st-deny")
                .doesNotContainKey("code");
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        User user = user("the right password here");
        StackHttp browser = stack.newBrowser();
        var wrong = signIn(browser, "/login", user.email(), "not the password");
        var unknown = signIn(stack.newBrowser(), "/login", "nobody-" + UUID.randomUUID() + "@example.com",
                "not the password");
        assertThat(wrong.status()).isEqualTo(unknown.status()).isBetween(400, 429);
        assertThat(messageOf(wrong)).isEqualTo(messageOf(unknown));
        assertThat(browser.cookie(LoginSessions.COOKIE)).isEmpty();
    }

    private static String messageOf(StackHttp.Reply page) {
        var m = java.util.regex.Pattern.compile("id=\"password-error\">([^<]*)<").matcher(page.body());
        assertThat(m.find()).as("%s", page.body()).isTrue();
        return m.group(1);
    }

    @Test
    void unknownExpiredAndMalformedChallengesAreErrorPagesNotRedirects() {
        StackHttp browser = stack.newBrowser();
        var unknown = browser.get("/login?login_challenge=" + "A".repeat(43));
        assertThat(unknown.status()).isEqualTo(410);
        assertThat(unknown.header("Location")).isEmpty();
        var malformed = browser.get("/login?login_challenge=%3Cscript%3E");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).doesNotContain("<script>");
    }

    @Test
    void aMemberOfSeveralOrganizationsPicksOneAndTheTokenCarriesIt() throws Exception {
        User user = user("organization picker pw");
        var platform = stack.platformServices();
        String a = platform.createOrganization(IdentityStack.Platform.uniqueSlug("pick-a"), "Picker A");
        String b = platform.createOrganization(IdentityStack.Platform.uniqueSlug("pick-b"), "Picker B");
        String outsider = platform.createOrganization(IdentityStack.Platform.uniqueSlug("pick-c"), "Not Mine");
        platform.putMember(a, user.id(), "viewer");
        platform.putMember(b, user.id(), "viewer");
        var pkce = PageFlows.Pkce.create();
        String challenge = PageFlows.loginChallenge(stack, thirdParty, pkce, "st-org");
        StackHttp browser = stack.newBrowser();
        var picker = signIn(browser, "/login?login_challenge=" + challenge, user.email(), "organization picker pw");
        assertThat(picker.status()).isEqualTo(200);
        assertThat(picker.body()).contains("Choose an organization").contains("Picker A").contains("Picker B")
                .contains("name=\"organization_id\" value=\"" + b + "\"").doesNotContain("Not Mine");
        // another organization than the user's is refused (and the pending sign-in is used up)
        var refused = post(browser, "/login/organization", fields(picker, Map.of("organization_id", outsider)));
        assertThat(refused.status()).isEqualTo(403);
        var replayed = post(browser, "/login/organization", fields(picker, Map.of("organization_id", b)));
        assertThat(replayed.status()).isEqualTo(410);

        // again, properly
        var picker2 = signIn(browser, "/login?login_challenge=" + challenge, user.email(), "organization picker pw");
        // the pending sign-in is bound to this browser
        StackHttp thief = stack.newBrowser();
        var thiefPage = thief.get("/login");
        var stolen = fields(picker2, Map.of("organization_id", b));
        stolen.put(Csrf.FIELD, hidden(thiefPage, Csrf.FIELD));
        assertThat(post(thief, "/login/organization", stolen).status()).isEqualTo(410);
        var picker3 = signIn(browser, "/login?login_challenge=" + challenge, user.email(), "organization picker pw");
        var consent = post(browser, "/login/organization", fields(picker3, Map.of("organization_id", b)));
        assertThat(consent.body()).contains("Allow Acme Notes?");
        var done = post(browser, "/login/consent", fields(consent, Map.of("decision", "allow")));
        var tokens = PageFlows.redeem(stack, thirdParty, query(refreshTarget(done)).get("code"), pkce);
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(PageFlows.claims(tokens.json().path("access_token").asText()).path("org_id").asText())
                .isEqualTo(b);
    }

    @Test
    void returnToAcceptsOnlyTheHostedDevicePage() {
        User user = user("return to password");
        for (String evil : List.of("https://evil.example/device", "//evil.example/device", "/\\evil.example",
                "/login/../device", "javascript:alert(1)", "/devicex")) {
            StackHttp browser = stack.newBrowser();
            var page = browser.get("/login?return_to=" + PageFlows.enc(evil));
            assertThat(page.body()).doesNotContain("evil.example").doesNotContain("javascript:");
            var after = signIn(browser, "/login?return_to=" + PageFlows.enc(evil), user.email(), "return to password");
            assertThat(after.status()).as(evil).isEqualTo(200);
            assertThat(after.header("Location")).isEmpty();
            assertThat(after.body()).contains("You are signed in as");
        }
        StackHttp browser = stack.newBrowser();
        var after = signIn(browser, "/login?return_to=" + PageFlows.enc("/device?user_code=BCDF-GHJK"),
                user.email(), "return to password");
        assertThat(after.status()).isEqualTo(303);
        assertThat(after.header("Location")).contains("/device?user_code=BCDF-GHJK");
    }

    @Test
    void devicePageSignsInLooksUpApprovesAndTheDevicePollSucceeds() throws Exception {
        User user = user("device page password");
        var device = PageFlows.Client.register(stack, "Flux CLI", "http://127.0.0.1/unused",
                List.of("device_code", "refresh_token"));
        StackHttp session = new StackHttp(stack.platformServices().sessionUrl());
        var started = session.request("POST", "/oauth2/device_authorization",
                PageFlows.form(Map.of("client_id", device.clientId(), "scope", "openid email offline_access")),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        String userCode = started.json().path("user_code").asText();
        String deviceCode = started.json().path("device_code").asText();

        StackHttp browser = stack.newBrowser();
        var toLogin = browser.get("/device?user_code=" + userCode);
        assertThat(toLogin.status()).isEqualTo(303);
        String login = toLogin.header("Location").orElseThrow();
        assertThat(login).startsWith("/login?return_to=");
        var back = signIn(browser, login, user.email(), "device page password");
        assertThat(back.status()).isEqualTo(303);
        var codePage = browser.get(back.header("Location").orElseThrow());
        assertThat(codePage.status()).isEqualTo(200);
        assertThat(codePage.body()).contains("<label for=\"user_code\">").contains("value=\"" + userCode + "\"");

        var wrong = post(browser, "/device", Map.of(Csrf.FIELD, hidden(codePage, Csrf.FIELD), "user_code", "ZZZZ-ZZZZ"));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.body()).contains("not valid or has expired");
        var malformed = post(browser, "/device", Map.of(Csrf.FIELD, hidden(codePage, Csrf.FIELD), "user_code", "12"));
        assertThat(malformed.status()).isEqualTo(422);

        var confirm = post(browser, "/device", Map.of(Csrf.FIELD, hidden(codePage, Csrf.FIELD),
                "user_code", userCode.toLowerCase()));
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body()).contains("Flux CLI").contains(userCode).contains(user.email());
        var pending = poll(session, device, deviceCode);
        assertThat(pending.json().path("error").asText()).as("%s", pending).isEqualTo("authorization_pending");

        var approved = post(browser, "/device/decision", Map.of(Csrf.FIELD, hidden(confirm, Csrf.FIELD),
                "user_code", hidden(confirm, "user_code"), "decision", "approve"));
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body()).contains("Your device is now signed in.");
        Thread.sleep(Duration.ofSeconds(5).toMillis()); // the poll interval
        var tokens = poll(session, device, deviceCode);
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        assertThat(PageFlows.claims(tokens.json().path("access_token").asText()).path("sub").asText())
                .isEqualTo(user.id());
        // decided once
        var again = post(browser, "/device/decision", Map.of(Csrf.FIELD, hidden(confirm, Csrf.FIELD),
                "user_code", hidden(confirm, "user_code"), "decision", "deny"));
        assertThat(again.status()).isEqualTo(409);
    }

    @Test
    void deviceDenialEndsThePollWithAccessDenied() {
        User user = user("device deny password");
        var device = PageFlows.Client.register(stack, "Deny CLI", "http://127.0.0.1/unused",
                List.of("device_code"));
        StackHttp session = new StackHttp(stack.platformServices().sessionUrl());
        var started = session.request("POST", "/oauth2/device_authorization",
                PageFlows.form(Map.of("client_id", device.clientId())),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        StackHttp browser = stack.newBrowser();
        signIn(browser, "/login", user.email(), "device deny password");
        var codePage = browser.get("/device");
        var confirm = post(browser, "/device", Map.of(Csrf.FIELD, hidden(codePage, Csrf.FIELD),
                "user_code", started.json().path("user_code").asText()));
        var denied = post(browser, "/device/decision", Map.of(Csrf.FIELD, hidden(confirm, Csrf.FIELD),
                "user_code", hidden(confirm, "user_code"), "decision", "deny"));
        assertThat(denied.body()).contains("The device was not signed in.");
        assertThat(poll(session, device, started.json().path("device_code").asText()).json().path("error").asText())
                .isEqualTo("access_denied");
    }

    private static StackHttp.Reply poll(StackHttp session, PageFlows.Client client, String deviceCode) {
        return session.request("POST", "/oauth2/token", PageFlows.form(Map.of(
                        "grant_type", "urn:ietf:params:oauth:grant-type:device_code", "device_code", deviceCode,
                        "client_id", client.clientId())),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    @Test
    void pagesWearTheOrganizationsBrandingFromTenantService() throws Exception {
        var platform = stack.platformServices();
        String slug = IdentityStack.Platform.uniqueSlug("brand");
        String org = platform.createOrganization(slug, "Branded Co");
        var patched = platform.tenant().request("PATCH", "/api/v1/organizations/" + org,
                "{\"logoUrl\":\"https://cdn.example.com/branded.png\",\"primaryColor\":\"#112233\","
                        + "\"accentColor\":\"#ABCDEF\"}",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + platform.adminToken()));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        StackHttp browser = stack.newBrowser();
        Instant deadline = Instant.now().plusSeconds(30);
        StackHttp.Reply page;
        do {
            page = browser.get("/login?org=" + slug);
            if (page.body().contains("branded.png")) {
                break;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        assertThat(page.body()).contains("src=\"https://cdn.example.com/branded.png\" alt=\"Branded Co\"")
                .contains("href=\"/login/theme/" + org + ".css\"");
        assertThat(browser.get("/login/theme/" + org + ".css").body())
                .isEqualTo(":root{--gh-primary:#112233;--gh-accent:#abcdef;}\n");
        // an unknown organization wears the default theme
        assertThat(browser.get("/login?org=no-such-org").body()).contains("/login/theme/default.css");
    }
}
