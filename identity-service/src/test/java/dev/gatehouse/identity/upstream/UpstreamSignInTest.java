package dev.gatehouse.identity.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 004's upstream sign-in end to end: identity-service with the real session- and tenant-service (IdentityStack),
 * real PostgreSQL, Redis and Kafka, and a real OpenID Provider run locally (mock-oauth2-server) playing Google,
 * Microsoft and an organization's SSO. Every security rule of the flow has its negative test here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamSignInTest {
    private static final String BINDING = "gh_oauth_binding";
    private MockProviders mock;
    private IdentityStack stack;
    private String acmeId;
    private String acmeDomain;

    @BeforeAll
    void start() throws Exception {
        mock = new MockProviders();
        IdentityStack.Platform platform = IdentityStack.platform();
        String acmeSlug = IdentityStack.Platform.uniqueSlug("acme");
        acmeId = platform.createOrganization(acmeSlug, "Acme");
        acmeDomain = acmeSlug + ".example";
        verifyDomain(platform, acmeId, acmeDomain);
        Path bootstrap = Files.createTempFile("upstream-bootstrap", ".yml");
        Files.writeString(bootstrap, """
                version: 1
                ssoConnections:
                  - name: acme-okta
                    type: oidc
                    organization: %s
                    issuer: %s
                    clientId: acme-okta-client
                    clientSecret: acme-okta-secret-0123456789abcdef0123456789
                """.formatted(acmeSlug, mock.issuer("acme")));
        stack = IdentityStack.start(properties(mock, bootstrap));
    }

    static Map<String, Object> properties(MockProviders mock, Path bootstrap) {
        Map<String, Object> props = new HashMap<>();
        for (String name : List.of("google", "microsoft")) {
            String prefix = "gatehouse.identity.upstream.providers." + name + ".";
            props.put(prefix + "issuer", mock.issuer(name).toString());
            props.put(prefix + "client-id", name + "-client");
            props.put(prefix + "client-secret", name + "-secret-0123456789abcdef0123456789");
            props.put(prefix + "desktop-redirect-uri", MockProviders.DESKTOP_REDIRECT.toString());
        }
        props.put("gatehouse.identity.upstream.redirect-uri", MockProviders.REDIRECT.toString());
        props.put("gatehouse.identity.upstream.http-timeout", "30s");
        if (bootstrap != null) {
            props.put("gatehouse.bootstrap.file", bootstrap.toString());
        }
        return props;
    }

    /**
     * Claims the domain through tenant-service's admin API, then marks it verified in tenant-service's database: the
     * one step taken around the API is the DNS TXT lookup (tenant-service's own tests cover it).
     */
    static void verifyDomain(IdentityStack.Platform platform, String organizationId, String domain) throws Exception {
        var claimed = platform.tenant().postJson("/api/v1/organizations/" + organizationId + "/domains",
                Map.of("domain", domain), "Bearer " + platform.adminToken());
        assertThat(claimed.status()).as(claimed.toString()).isIn(200, 201);
        // the stack's tenant-service has a database of its own (tenant_service_<random>): the one holding the organization
        var pg = TestServers.get().postgres();
        List<String> candidates = new java.util.ArrayList<>();
        try (var c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
             var s = c.prepareStatement("select datname from pg_database where datname like 'tenant\\_service\\_%'");
             var rs = s.executeQuery()) {
            while (rs.next()) {
                candidates.add(rs.getString(1));
            }
        }
        int updated = 0;
        for (String database : candidates) {
            try (var c = DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
                 var s = c.prepareStatement("update domain set verified_at = now() where organization_id = ? "
                         + "and domain = ?")) {
                s.setString(1, organizationId);
                s.setString(2, domain);
                updated += s.executeUpdate();
            } catch (java.sql.SQLException e) {
                // not a migrated tenant-service database
            }
        }
        assertThat(updated).isEqualTo(1);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        mock.close();
    }

    private static String unique(String local) {
        return local + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private record Flow(StackHttp browser, JsonNode started, Map<String, String> callback) {
        String code() {
            return callback.get("code");
        }

        String state() {
            return callback.get("state");
        }
    }

    /** A browser starts a web sign-in at {@code provider} and comes back from the provider with a code. */
    private Flow startWeb(String provider) {
        StackHttp browser = stack.newBrowser();
        var started = browser.postJson("/auth/oauth/" + provider + "/start", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return new Flow(browser, started.json(), mock.authorize(URI.create(started.json().path("redirectUrl").asText())));
    }

    private StackHttp.Reply finalizeWeb(Flow flow) {
        return flow.browser().postJson("/auth/oauth/finalize", Map.of("code", flow.code(), "state", flow.state()));
    }

    private static void assertInvalidField(StackHttp.Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:validation-failed");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo(field);
    }

    @Test
    void aWebSignInWithGoogleStartsAuthorizesAndFinalizesIntoACookieSession() {
        StackHttp browser = stack.newBrowser();
        var started = browser.postJson("/auth/oauth/google/start", Map.of());
        assertThat(started.status()).isEqualTo(200);
        JsonNode data = started.json();
        assertThat(data.path("authMethod").asText()).isEqualTo("sso");
        String state = data.path("state").asText();
        assertThat(state).matches("[A-Za-z0-9_-]{43}");
        URI redirect = URI.create(data.path("redirectUrl").asText());
        assertThat(redirect.toString()).startsWith(mock.server().authorizationEndpointUrl("google").toString())
                .contains("code_challenge_method=S256", "code_challenge=" + data.path("challenge").asText(),
                        "nonce=", "client_id=google-client", "state=" + state);
        var binding = started.setCookie(BINDING).orElseThrow();
        assertThat(binding.httpOnly()).isTrue();
        assertThat(binding.secure()).isTrue();
        assertThat(binding.sameSite()).hasValue("Lax");
        assertThat(started.header("Cache-Control")).hasValue("no-store");

        Map<String, String> callback = mock.authorize(redirect);
        assertThat(callback.get("state")).isEqualTo(state);
        String email = unique("ada");
        mock.nextUser("google", "g-" + UUID.randomUUID(), "google-client", MockProviders.email(email, true));
        var finished = browser.postJson("/auth/oauth/finalize", Map.of("code", callback.get("code"), "state", state));

        assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
        assertThat(finished.json().path("status").asText()).isEqualTo("authenticated");
        assertThat(finished.json().path("user").path("email").asText()).isEqualTo(email);
        assertThat(finished.body()).doesNotContain("access_token\"", "refresh");
        var session = finished.setCookie("access_token").orElseThrow();
        assertThat(session.httpOnly()).isTrue();
        assertThat(session.sameSite()).hasValue("Lax");
        assertThat(stack.bean(UserDirectory.class).findByEmail(email)).hasValueSatisfying(u ->
                assertThat(u.emailVerified()).isTrue());
    }

    @Test
    void aStateIsSingleUse() {
        Flow flow = startWeb("google");
        mock.nextUser("google", "g-" + UUID.randomUUID(), "google-client", MockProviders.email(unique("once"), true));
        assertThat(finalizeWeb(flow).status()).isEqualTo(200);
        assertInvalidField(finalizeWeb(flow), 400, "state");
    }

    @Test
    void anUnknownOrMissingStateIsRefused() {
        Flow flow = startWeb("google");
        assertInvalidField(flow.browser().postJson("/auth/oauth/finalize",
                Map.of("code", flow.code(), "state", UpstreamSignIn.random())), 400, "state");
        assertInvalidField(flow.browser().postJson("/auth/oauth/finalize", Map.of("code", flow.code())), 400, "state");
        assertInvalidField(flow.browser().postJson("/auth/oauth/finalize", Map.of("state", flow.state())), 400, "code");
        // the real state still works: a wrong guess does not burn it
        mock.nextUser("google", "g-" + UUID.randomUUID(), "google-client", MockProviders.email(unique("guess"), true));
        assertThat(finalizeWeb(flow).status()).isEqualTo(200);
    }

    @Test
    void aStateStartedInAnotherBrowserIsRefusedAndBurnt() {
        Flow victim = startWeb("google");
        StackHttp attacker = stack.newBrowser();
        attacker.postJson("/auth/oauth/google/start", Map.of()); // the attacker has a binding cookie of its own
        assertInvalidField(attacker.postJson("/auth/oauth/finalize",
                Map.of("code", victim.code(), "state", victim.state())), 400, "state");
        StackHttp noCookie = stack.newBrowser();
        Flow other = startWeb("google");
        assertInvalidField(noCookie.postJson("/auth/oauth/finalize",
                Map.of("code", other.code(), "state", other.state())), 400, "state");
        assertInvalidField(finalizeWeb(victim), 400, "state");
    }

    @Test
    void aWebClientSendsNoPkceFields() {
        Flow flow = startWeb("google");
        assertInvalidField(flow.browser().postJson("/auth/oauth/finalize", Map.of("code", flow.code(),
                "state", flow.state(), "codeVerifier", Pkce.newVerifier())), 400, "codeVerifier");
        StackHttp browser = stack.newBrowser();
        assertInvalidField(browser.request("POST", "/auth/oauth/google/start",
                "{\"codeChallenge\":\"" + Pkce.challenge(Pkce.newVerifier()) + "\"}",
                Map.of("Content-Type", "application/json", UpstreamSignIn.PLATFORM_HEADER, "web")), 400, "codeChallenge");
    }

    private StackHttp.Reply desktopStart(StackHttp app, String challenge) {
        return app.request("POST", "/auth/oauth/google/start",
                challenge == null ? "{}" : "{\"codeChallenge\":\"" + challenge + "\"}",
                Map.of("Content-Type", "application/json", UpstreamSignIn.PLATFORM_HEADER, "desktop"));
    }

    @Test
    void aDesktopAppBringsItsOwnPkceAndMustProveIt() {
        StackHttp app = new StackHttp(stack.identityUrl());
        String verifier = Pkce.newVerifier();
        String challenge = Pkce.challenge(verifier);
        var started = desktopStart(app, challenge);
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().path("challenge").asText()).isEqualTo(challenge);
        String url = started.json().path("redirectUrl").asText();
        assertThat(url).contains("code_challenge=" + challenge, "redirect_uri="
                + java.net.URLEncoder.encode(MockProviders.DESKTOP_REDIRECT.toString(), java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> callback = mock.authorize(URI.create(url));
        String email = unique("desk");
        mock.nextUser("google", "g-" + UUID.randomUUID(), "google-client", MockProviders.email(email, true));
        var finished = app.postJson("/auth/oauth/finalize", Map.of("code", callback.get("code"),
                "state", callback.get("state"), "codeVerifier", verifier));
        assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
        assertThat(finished.json().path("user").path("email").asText()).isEqualTo(email);

        assertInvalidField(desktopStart(app, null), 400, "codeChallenge");
        assertInvalidField(desktopStart(app, "plain-not-s256"), 400, "codeChallenge");

        var missing = mock.authorize(URI.create(desktopStart(app, challenge).json().path("redirectUrl").asText()));
        assertInvalidField(app.postJson("/auth/oauth/finalize", Map.of("code", missing.get("code"),
                "state", missing.get("state"))), 400, "codeVerifier");
        var wrong = mock.authorize(URI.create(desktopStart(app, challenge).json().path("redirectUrl").asText()));
        assertInvalidField(app.postJson("/auth/oauth/finalize", Map.of("code", wrong.get("code"),
                "state", wrong.get("state"), "codeVerifier", Pkce.newVerifier())), 400, "codeVerifier");
        // and the state is spent by the failed attempt
        assertInvalidField(app.postJson("/auth/oauth/finalize", Map.of("code", wrong.get("code"),
                "state", wrong.get("state"), "codeVerifier", verifier)), 400, "state");
    }

    @Test
    void aCodeFromAnotherSignInFailsTheNonceCheck() {
        // a desktop app may reuse its challenge, so the provider's PKCE check passes: the nonce catches the swap
        StackHttp app = new StackHttp(stack.identityUrl());
        String verifier = Pkce.newVerifier();
        var first = mock.authorize(URI.create(desktopStart(app, Pkce.challenge(verifier)).json()
                .path("redirectUrl").asText()));
        var second = mock.authorize(URI.create(desktopStart(app, Pkce.challenge(verifier)).json()
                .path("redirectUrl").asText()));
        mock.nextUser("google", "g-" + UUID.randomUUID(), "google-client", MockProviders.email(unique("swap"), true));
        var reply = app.postJson("/auth/oauth/finalize", Map.of("code", second.get("code"),
                "state", first.get("state"), "codeVerifier", verifier));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:unauthorized");
        assertThat(reply.json().path("detail").asText()).contains("nonce");
    }

    @Test
    void anAuthorizationResponseFromAnotherIssuerIsRefused() {
        Flow flow = startWeb("google");
        var reply = flow.browser().postJson("/auth/oauth/finalize", Map.of("code", flow.code(), "state", flow.state(),
                "iss", mock.issuer("microsoft").toString()));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        assertThat(reply.json().path("detail").asText()).contains("issuer");
    }

    @Test
    void aCodeTheProviderNeverIssuedForThisSignInIsRefused() {
        // mock-oauth2-server 3.0.1 answers even an unknown code with tokens (real providers answer invalid_grant,
        // a 400 naming `code`, see UpstreamProviderTest): those tokens lack this sign-in's nonce
        Flow flow = startWeb("google");
        var reply = flow.browser().postJson("/auth/oauth/finalize", Map.of("code", "not-a-code", "state", flow.state()));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        assertThat(reply.setCookie("access_token")).isEmpty();
    }

    @Test
    void anUnverifiedUpstreamAddressNeverLinksToAnExistingAccount() {
        UserDirectory users = stack.bean(UserDirectory.class);
        String email = unique("grace");
        var existing = users.create(new NewUser(email, true, "Grace", null, null, "test"));
        Flow unverified = startWeb("microsoft");
        String attackerSubject = "ms-" + UUID.randomUUID();
        mock.nextUser("microsoft", attackerSubject, "microsoft-client", Map.of("email", email));
        var refused = finalizeWeb(unverified);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:forbidden");
        assertThat(refused.setCookie("access_token")).isEmpty();
        assertThat(stack.bean(UpstreamIdentityLinks.class).userOf(mock.issuer("microsoft").toString(),
                attackerSubject)).isEmpty();

        // the same answer for an address nobody has: no enumeration, and no account made
        String nobody = unique("nobody");
        Flow unknown = startWeb("microsoft");
        mock.nextUser("microsoft", "ms-" + UUID.randomUUID(), "microsoft-client", Map.of("email", nobody));
        var alsoRefused = finalizeWeb(unknown);
        assertThat(alsoRefused.status()).isEqualTo(403);
        assertThat(alsoRefused.json().path("detail")).isEqualTo(refused.json().path("detail"));
        assertThat(users.findByEmail(nobody)).isEmpty();

        // a verified address links to the existing account, and the link signs in from then on
        Flow verified = startWeb("microsoft");
        String ownerSubject = "ms-" + UUID.randomUUID();
        mock.nextUser("microsoft", ownerSubject, "microsoft-client", Map.of("email", email, "xms_edov", true));
        var linked = finalizeWeb(verified);
        assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
        assertThat(linked.json().path("user").path("id").asText()).isEqualTo(existing.id());
        assertThat(stack.bean(UpstreamIdentityLinks.class).userOf(mock.issuer("microsoft").toString(), ownerSubject))
                .hasValue(existing.id());
    }

    @Test
    void anUnknownProviderIsA404() {
        var reply = stack.newBrowser().postJson("/auth/oauth/myspace/start", Map.of());
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:not-found");
        assertThat(reply.setCookie(BINDING)).isEmpty();
    }

    @Test
    void anAddressOfAVerifiedDomainIsRoutedToItsOrganizationsSso() {
        StackHttp browser = stack.newBrowser();
        String email = "wile-" + UUID.randomUUID().toString().substring(0, 8) + "@" + acmeDomain.toUpperCase();
        var discovered = browser.postJson("/auth/sign-in", Map.of("email", email));
        assertThat(discovered.status()).as(discovered.toString()).isEqualTo(200);
        assertThat(discovered.json().path("authMethod").asText()).isEqualTo("sso");
        String url = discovered.json().path("redirectUrl").asText();
        assertThat(url).startsWith(mock.server().authorizationEndpointUrl("acme").toString())
                .contains("client_id=acme-okta-client", "login_hint=");
        Map<String, String> callback = mock.authorize(URI.create(url));
        mock.nextUser("acme", "okta-" + UUID.randomUUID(), "acme-okta-client",
                MockProviders.email(email.toLowerCase(), true));
        var finished = browser.postJson("/auth/oauth/finalize", Map.of("code", callback.get("code"),
                "state", callback.get("state")));
        assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
        assertThat(finished.json().path("status").asText()).isEqualTo("authenticated");
        String userId = finished.json().path("user").path("id").asText();
        // joined the organization just in time
        assertThat(stack.bean(TenantClient.class).organizationsOf(new UserId(userId)))
                .anySatisfy(o -> assertThat(o.id()).isEqualTo(acmeId));
    }

    @Test
    void otherAddressesGetTheSameNonSsoAnswerWhetherKnownOrNot() {
        String known = unique("known");
        stack.bean(UserDirectory.class).create(new NewUser(known, true, null, null, null, "test"));
        var forKnown = stack.newBrowser().postJson("/auth/sign-in", Map.of("email", known));
        var forUnknown = stack.newBrowser().postJson("/auth/sign-in", Map.of("email", unique("unknown")));
        assertThat(forKnown.status()).isEqualTo(200);
        assertThat(forKnown.body()).isEqualTo(forUnknown.body()).isEqualTo("{\"authMethod\":\"magicAuth\"}");
        assertInvalidField(stack.newBrowser().postJson("/auth/sign-in", Map.of("email", "not-an-address")), 400,
                "email");
    }
}
