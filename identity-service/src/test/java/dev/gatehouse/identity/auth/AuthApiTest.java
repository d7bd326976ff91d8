package dev.gatehouse.identity.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 004's operations owned by the password/session part of identity-service, over HTTP against the real
 * session-service and tenant-service: discovery, password sign-in, organization select and switch, sign-out, and the
 * security rules (same answer for unknown emails, lockout, single-use pending tokens, cookie flags).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiTest {
    private static final String PASSWORD = "correct horse battery staple";
    private IdentityStack stack;
    private UserDirectory users;

    @BeforeAll
    void up() {
        stack = IdentityStack.start(Map.of(
                "gatehouse.identity.password.throttle.delay-after", "3",
                "gatehouse.identity.password.throttle.base-delay", "PT2S",
                "gatehouse.identity.password.throttle.max-delay", "PT3S",
                "gatehouse.identity.password.throttle.lockout-after", "6",
                "gatehouse.identity.password.throttle.ip-lockout-after", "10000",
                "gatehouse.identity.sign-in.pending-ttl", "PT2S"));
        users = stack.bean(UserDirectory.class);
    }

    @AfterAll
    void down() {
        if (stack != null) {
            stack.close();
        }
    }

    private User userWithPassword() {
        String email = "pw-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        return users.create(new NewUser(email, true, "Pat", null, stack.bean(PasswordHasher.class).hash(PASSWORD),
                "test"));
    }

    private static String unknownEmail() {
        return "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private StackHttp.Reply password(StackHttp browser, String email, String password) {
        return browser.postJson("/auth/password/finalize", Map.of("email", email, "password", password));
    }

    @Test
    void discoveryAnswersPasswordForAPasswordUserAndTheSameForAnUnknownEmail() {
        User user = userWithPassword();
        var known = stack.http().postJson("/auth/sign-in", Map.of("email", user.email().toUpperCase()));
        var unknown = stack.http().postJson("/auth/sign-in", Map.of("email", unknownEmail()));
        assertThat(known.status()).isEqualTo(200);
        assertThat(known.json().toString()).isEqualTo("{\"authMethod\":\"password\"}");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body()).isEqualTo(known.body());

        var bad = stack.http().postJson("/auth/sign-in", Map.of("email", "not-an-email"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                "application/problem+json"));
        assertThat(bad.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:validation-failed");
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("email");
    }

    @Test
    void passwordSignInSetsAnHttpOnlySecureLaxCookieAndNeverATokenInTheBody() {
        User user = userWithPassword();
        StackHttp browser = stack.newBrowser();
        var reply = password(browser, user.email(), PASSWORD);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("status").asText()).isEqualTo("authenticated");
        assertThat(body.path("user").path("id").asText()).isEqualTo(user.id());
        assertThat(body.path("user").path("email").asText()).isEqualTo(user.email());
        var cookie = reply.setCookie("access_token").orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.secure()).isTrue();
        assertThat(cookie.sameSite()).hasValueSatisfying(s -> assertThat(s).isEqualToIgnoringCase("Lax"));
        assertThat(cookie.value()).isNotBlank();
        assertThat(reply.body()).doesNotContain(cookie.value()).doesNotContainIgnoringCase("token");
        assertThat(reply.header("Cache-Control")).hasValue("no-store");

        var event = stack.events().await("UserSignedIn", e -> e.path("payload").path("userId").asText()
                .equals(user.id()));
        assertThat(event.path("payload").path("method").asText()).isEqualTo("password");
        assertThat(event.path("payload").path("clientId").asText()).isEqualTo(IdentityStack.WEB_CLIENT);
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswerInSimilarTime() {
        User user = userWithPassword();
        List<Long> known = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        StackHttp.Reply wrong = null;
        StackHttp.Reply nobody = null;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            wrong = password(stack.http(), user.email(), PASSWORD + "!");
            known.add(System.nanoTime() - t0);
            t0 = System.nanoTime();
            nobody = password(stack.http(), unknownEmail(), PASSWORD);
            unknown.add(System.nanoTime() - t0);
        }
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(strip(nobody.json())).isEqualTo(strip(wrong.json()));
        assertThat(nobody.setCookie("access_token")).isEmpty();
        // both spend one argon2id verification: the unknown email is not answered markedly faster
        assertThat(Collections.min(unknown)).isGreaterThan(Collections.min(known) / 3);

        stack.events().await("UserSignInFailed", e -> e.path("payload").path("userId").asText().equals(user.id())
                && e.path("payload").path("reason").asText().equals("invalid_credentials"));
    }

    private static String strip(JsonNode problem) {
        var copy = problem.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("instance", "requestId"));
        return copy.toString();
    }

    @Test
    void repeatedBadPasswordsDelayThenLockTheAccountEvenForTheRightPassword() throws Exception {
        User user = userWithPassword();
        for (int i = 0; i < 3; i++) {
            assertThat(password(stack.http(), user.email(), "wrong-" + i).status()).isEqualTo(401);
        }
        var delayed = password(stack.http(), user.email(), "wrong-now");
        assertThat(delayed.status()).isEqualTo(429);
        assertThat(Long.parseLong(delayed.header("Retry-After").orElseThrow())).isBetween(1L, 2L);
        assertThat(delayed.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:too-many-requests");
        // the delays grow (2 s, then 3 s at most) until the sixth failure locks the account
        long[] waits = {2_100, 3_100, 3_100};
        for (int i = 3; i < 6; i++) {
            Thread.sleep(waits[i - 3]);
            assertThat(password(stack.http(), user.email(), "wrong-" + i).status()).isEqualTo(401);
        }
        var locked = password(stack.http(), user.email(), PASSWORD);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(Long.parseLong(locked.header("Retry-After").orElseThrow())).isGreaterThan(800);
        assertThat(locked.setCookie("access_token")).isEmpty();

        // an unknown address is throttled exactly alike (nothing tells the two apart)
        String nobody = unknownEmail();
        for (int i = 0; i < 3; i++) {
            assertThat(password(stack.http(), nobody, "wrong-" + i).status()).isEqualTo(401);
        }
        assertThat(password(stack.http(), nobody, "wrong").status()).isEqualTo(429);
        stack.events().await("UserSignInFailed", e -> e.path("payload").path("userId").asText().equals(user.id())
                && e.path("payload").path("reason").asText().equals("locked"));
    }

    @Test
    void aMemberOfSeveralOrganizationsSelectsOnceThenSwitchesAndSignsOut() {
        User user = userWithPassword();
        var platform = stack.platformServices();
        String acme = platform.createOrganization(IdentityStack.Platform.uniqueSlug("acme"), "Acme");
        String globex = platform.createOrganization(IdentityStack.Platform.uniqueSlug("globex"), "Globex");
        String other = platform.createOrganization(IdentityStack.Platform.uniqueSlug("other"), "Other");
        platform.putMember(acme, user.id(), "viewer");
        platform.putMember(globex, user.id(), "admin");
        StackHttp browser = stack.newBrowser();

        var first = password(browser, user.email(), PASSWORD);
        assertThat(first.status()).isEqualTo(200);
        JsonNode choice = first.json();
        assertThat(choice.path("status").asText()).isEqualTo("orgSelectionRequired");
        assertThat(first.setCookie("access_token")).isEmpty();
        assertThat(choice.path("organizations").findValuesAsText("name")).containsExactlyInAnyOrder("Acme", "Globex");
        String pending = choice.path("pendingAuthenticationToken").asText();

        var notOffered = browser.postJson("/auth/organization/select", Map.of("pendingAuthenticationToken",
                pending, "organizationId", other));
        assertThat(notOffered.status()).isEqualTo(403);
        // the token was consumed by that attempt: sign in again
        pending = password(browser, user.email(), PASSWORD).json().path("pendingAuthenticationToken").asText();

        var selected = browser.postJson("/auth/organization/select", Map.of("pendingAuthenticationToken", pending,
                "organizationId", acme));
        assertThat(selected.status()).as(selected.body()).isEqualTo(200);
        assertThat(selected.json().path("id").asText()).isEqualTo(user.id());
        assertThat(selected.json().has("status")).isFalse();
        var cookie = selected.setCookie("access_token").orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();

        var replay = browser.postJson("/auth/organization/select", Map.of("pendingAuthenticationToken", pending,
                "organizationId", acme));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().path("errors").get(0).path("field").asText()).isEqualTo("pendingAuthenticationToken");

        var switched = browser.postJson("/auth/organization/switch", Map.of("organizationId", globex));
        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        assertThat(switched.json().path("id").asText()).isEqualTo(user.id());
        String newCookie = switched.setCookie("access_token").orElseThrow().value();
        assertThat(newCookie).isNotEqualTo(cookie.value());
        assertThat(browser.postJson("/auth/organization/switch", Map.of("organizationId", other)).status())
                .isEqualTo(403);
        assertThat(stack.newBrowser().postJson("/auth/organization/switch", Map.of("organizationId", globex))
                .status()).isEqualTo(401);

        var signOut = browser.request("POST", "/auth/sign-out", null, Map.of());
        assertThat(signOut.status()).isEqualTo(204);
        var cleared = signOut.setCookie("access_token").orElseThrow();
        assertThat(cleared.expired()).isTrue();
        assertThat(stack.bean(SessionClient.class).refresh(newCookie)).isEmpty();
        // the old cookie is dead too
        StackHttp replayer = stack.newBrowser();
        replayer.setCookie("access_token", newCookie);
        assertThat(replayer.postJson("/auth/organization/switch", Map.of("organizationId", acme)).status())
                .isEqualTo(401);
        assertThat(stack.newBrowser().request("POST", "/auth/sign-out", null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void anExpiredPendingAuthenticationTokenIsRefused() throws Exception {
        User user = userWithPassword();
        var platform = stack.platformServices();
        String a = platform.createOrganization(IdentityStack.Platform.uniqueSlug("a"), "A");
        String b = platform.createOrganization(IdentityStack.Platform.uniqueSlug("b"), "B");
        platform.putMember(a, user.id(), "viewer");
        platform.putMember(b, user.id(), "viewer");
        String pending = password(stack.http(), user.email(), PASSWORD).json().path("pendingAuthenticationToken")
                .asText();
        assertThat(pending).isNotBlank();
        Thread.sleep(2_500);
        var expired = stack.http().postJson("/auth/organization/select", Map.of("pendingAuthenticationToken",
                pending, "organizationId", a));
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:validation-failed");
        assertThat(expired.json().path("errors").get(0).path("field").asText()).isEqualTo("pendingAuthenticationToken");
        assertThat(expired.setCookie("access_token")).isEmpty();
    }

    @Test
    void devSignInDoesNotExistOutsideTheDevEnvironment() {
        var reply = stack.http().postJson("/auth/dev-sign-in", Map.of("email", unknownEmail()));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.setCookie("access_token")).isEmpty();
    }
}
