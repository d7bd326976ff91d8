package dev.gatehouse.identity.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackClock;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's admin authentication over HTTP against the real session-service and tenant-service: login of the
 * bootstrap admin, me, refresh (also of an expired token, within the window, while the session lives), logout (token
 * and session dead afterwards), session-token validation, and the {success:false, error} failures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAuthApiTest {
    private static final String PASSWORD = "operator password 123";
    private IdentityStack stack;
    private StackHttp http;

    @BeforeAll
    void up() {
        stack = IdentityStack.start(Map.of("gatehouse.test.stack-clock", "true",
                "gatehouse.identity.admin-api.refresh-window", "PT1H"));
        http = stack.http();
    }

    @AfterEach
    void realTime() {
        StackClock.offset(Duration.ZERO);
    }

    @AfterAll
    void down() {
        if (stack != null) {
            stack.close();
        }
    }

    private StackHttp.Reply login(String username, String password) {
        return http.postJson("/api/v1/auth/login", Map.of("username", username, "password", password));
    }

    private String adminToken() {
        var reply = login(IdentityStack.BOOTSTRAP_ADMIN, IdentityStack.BOOTSTRAP_ADMIN_PASSWORD);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("data").path("token").asText();
    }

    private static void assertFailure(StackHttp.Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().path("success").asBoolean(true)).isFalse();
        assertThat(reply.json().path("error").asText()).isNotBlank();
        assertThat(reply.json().size()).isEqualTo(2);
    }

    @Test
    void theBootstrapAdminLogsInAndReadsTheirProfile() {
        var reply = login("ADMIN", IdentityStack.BOOTSTRAP_ADMIN_PASSWORD);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("success").asBoolean()).isTrue();
        JsonNode data = body.path("data");
        String token = data.path("token").asText();
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(data.path("user").path("username").asText()).isEqualTo("admin");
        assertThat(data.path("user").path("role").asText()).isEqualTo("admin");
        assertThat(data.path("user").path("id").asText()).startsWith("usr_");
        assertThat(data.path("user").has("email")).isTrue();
        assertThat(Instant.parse(data.path("expires_at").asText())).isAfter(Instant.now());

        var me = http.get("/api/v1/auth/me", "Bearer " + token);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().path("success").asBoolean()).isTrue();
        assertThat(me.json().path("data").path("username").asText()).isEqualTo("admin");
        assertThat(me.json().path("data").path("role").asText()).isEqualTo("admin");
        assertThat(me.json().path("data").path("id").asText()).isEqualTo(data.path("user").path("id").asText());
        assertThat(me.json().path("data").path("created_at").asText()).isNotBlank();

        stack.events().await("UserSignedIn", e -> e.path("payload").path("method").asText().equals("admin-password")
                && e.path("payload").path("clientId").asText().equals(IdentityStack.GATEWAY_ADMIN_CLIENT));
    }

    @Test
    void badCredentialsAndUnknownUsersGetTheSame401() {
        var wrong = login(IdentityStack.BOOTSTRAP_ADMIN, "not the password at all");
        var unknown = login("nobody-" + UUID.randomUUID(), "not the password at all");
        assertFailure(wrong, 401);
        assertFailure(unknown, 401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertFailure(http.postJson("/api/v1/auth/login", Map.of("username", "admin")), 400);
        assertFailure(http.postJson("/api/v1/auth/login", "{not json"), 400);
        assertFailure(http.get("/api/v1/auth/me"), 401);
        assertFailure(http.get("/api/v1/auth/me", "Bearer not.a.token"), 401);
    }

    @Test
    void aUserWithoutARoleIsForbiddenAndAMemberGetsTheirRole() {
        UserDirectory users = stack.bean(UserDirectory.class);
        String email = "op-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        User user = users.create(new NewUser(email, true, "Op", null, stack.bean(PasswordHasher.class)
                .hash(PASSWORD), "test"));
        assertFailure(login(email, PASSWORD), 403);

        var platform = stack.platformServices();
        String org = platform.createOrganization(IdentityStack.Platform.uniqueSlug("gw"), "Gateway");
        platform.putMember(org, user.id(), "operator");
        var reply = login(email, PASSWORD);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("data").path("user").path("role").asText()).isEqualTo("operator");
        assertThat(reply.json().path("data").path("user").path("email").asText()).isEqualTo(email);
    }

    @Test
    void refreshAcceptsAnExpiredTokenOnlyWithinTheWindowAndLogoutKillsTokenAndSession() {
        String token = adminToken();
        var fresh = http.request("POST", "/api/v1/auth/refresh", null, Map.of("Authorization", "Bearer " + token));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        assertThat(fresh.json().path("data").path("token").asText()).isNotEqualTo(token).contains(".");
        assertThat(fresh.json().path("data").path("expires_at").asText()).isNotBlank();

        // identity-service's clock 30 minutes on: the token has expired, but within the one-hour window
        StackClock.offset(Duration.ofMinutes(30));
        var late = http.request("POST", "/api/v1/auth/refresh", null, Map.of("Authorization", "Bearer " + token));
        assertThat(late.status()).as(late.body()).isEqualTo(200);
        String renewed = late.json().path("data").path("token").asText();
        StackClock.offset(Duration.ofHours(3));
        assertFailure(http.request("POST", "/api/v1/auth/refresh", null, Map.of("Authorization", "Bearer "
                + token)), 401);
        StackClock.offset(Duration.ZERO);

        assertThat(http.get("/api/v1/auth/me", "Bearer " + renewed).status()).isEqualTo(200);
        var validated = http.postJson("/api/v1/oauth/validate", Map.of("session_token", renewed));
        assertThat(validated.status()).as(validated.body()).isEqualTo(200);
        assertThat(validated.json().path("data").path("valid").asBoolean()).isTrue();
        assertThat(validated.json().path("data").has("user_identity")).isTrue();
        assertThat(validated.json().path("data").path("expires_at").asText()).isNotBlank();

        var logout = http.request("POST", "/api/v1/auth/logout", null, Map.of("Authorization", "Bearer " + renewed));
        assertThat(logout.status()).as(logout.body()).isEqualTo(200);
        assertThat(logout.json().path("success").asBoolean()).isTrue();
        assertThat(logout.json().path("message").asText()).isEqualTo("Logged out successfully");

        // every token of the session is dead, and nothing refreshes it
        for (String dead : new String[]{token, renewed}) {
            assertFailure(http.get("/api/v1/auth/me", "Bearer " + dead), 401);
            assertFailure(http.request("POST", "/api/v1/auth/refresh", null, Map.of("Authorization", "Bearer "
                    + dead)), 401);
            assertFailure(http.postJson("/api/v1/oauth/validate", Map.of("session_token", dead)), 401);
        }
        assertFailure(http.postJson("/api/v1/oauth/validate", Map.of()), 400);
    }

    @Test
    void aTokenOfAnotherClientIsNotAnAdminToken() {
        String serviceToken = stack.platformServices().adminToken();
        assertFailure(http.get("/api/v1/auth/me", "Bearer " + serviceToken), 401);
        assertFailure(http.request("POST", "/api/v1/auth/refresh", null, Map.of("Authorization", "Bearer "
                + serviceToken)), 401);
    }
}
