package dev.gatehouse.identity.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.identity.apps.AppsFixture;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.gatehouse.identity.apps.AppsFixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vault's API for an app's backend: {@code POST /api/v1/users/{userId}/upstream-tokens/{provider}}, with users
 * signed in through seed 003's Google flow (real tokens from the mock Google) and callers authenticated by
 * session-service's tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamTokenApiTest {
    private AppsFixture fixture;
    private String serviceToken;
    private String unscopedToken;

    @BeforeAll
    void up() {
        fixture = new AppsFixture(Map.of());
        String secret = fixture.client(Map.of("clientId", "agenticpal-backend", "type", "confidential",
                "displayName", "AgenticPal backend", "grantTypes", List.of("client_credentials"),
                "scopes", List.of(VaultConfig.SCOPE), "audiences", List.of("gatehouse")));
        serviceToken = fixture.stack.platformServices().clientCredentials("agenticpal-backend", secret,
                VaultConfig.SCOPE);
        String other = fixture.client(Map.of("clientId", "reports-backend", "type", "confidential",
                "displayName", "Reports", "grantTypes", List.of("client_credentials"),
                "scopes", List.of("reports:read"), "audiences", List.of("gatehouse")));
        unscopedToken = fixture.stack.platformServices().clientCredentials("reports-backend", other, null);
        fixture.client(Map.of("clientId", "agenticpal-user-app", "type", "public", "displayName", "AgenticPal app",
                "grantTypes", List.of("authorization_code"), "redirectUris", List.of("http://127.0.0.1/cb"),
                "scopes", List.of("openid", VaultConfig.SCOPE), "audiences", List.of("gatehouse")));
    }

    @AfterAll
    void down() {
        fixture.close();
    }

    /** Signs a new user in through seed 003 (Google tokens go to the vault); returns the user. */
    private User signedInUser() {
        StackHttp browser = fixture.browser();
        String email = "vault-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var login = browser.get("/auth/google/login");
        Map<String, String> back = fixture.signInAtGoogle(login.json().path("authorization_url").asText(),
                "google-" + email, email);
        assertThat(browser.get("/auth/google/callback?" + AppsFixture.query(back, "code", "state")).status())
                .isEqualTo(302);
        return fixture.stack.bean(UserDirectory.class).findByEmail(email).orElseThrow();
    }

    /** An access token of the user's own session (audience gatehouse, with the vault scope). */
    private String userToken(User user) {
        var assertion = fixture.stack.bean(SignInCompletion.class).assertion(user, null);
        return fixture.stack.bean(SessionClient.class).open(new SessionClient.OpenSession(assertion,
                "agenticpal-user-app", List.of("openid", VaultConfig.SCOPE), "gatehouse",
                SessionClient.Delivery.TOKENS, null, null)).accessToken();
    }

    private StackHttp.Reply fetch(String userId, String provider, String bearer) {
        return fixture.browser().request("POST", "/api/v1/users/" + enc(userId) + "/upstream-tokens/" + provider,
                null, bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer));
    }

    private void expire(String userId) {
        try (Connection c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(fixture.stack.bean(DataSource.class)).getConnection();
             PreparedStatement s = c.prepareStatement(
                     "update upstream_token set expires_at = now() - interval '1 minute' where user_id = ?")) {
            s.setString(1, userId);
            assertThat(s.executeUpdate()).isOne();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aServiceWithTheScopeGetsTheUsersGoogleToken() {
        User user = signedInUser();
        var stored = fixture.stack.bean(TokenVault.class).peek(user.id(), "google").orElseThrow();
        var reply = fetch(user.id(), "google", serviceToken);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("accessToken").asText()).isEqualTo(stored.accessToken());
        assertThat(body.path("tokenType").asText()).isEqualTo("Bearer");
        assertThat(body.path("provider").asText()).isEqualTo("google");
        assertThat(body.path("expiresIn").asLong()).isBetween(3000L, 3600L);
        assertThat(body.has("refreshToken")).isFalse();
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
    }

    @Test
    void anExpiredTokenIsRefreshedExactlyOnceUnderConcurrentCalls() throws Exception {
        User user = signedInUser();
        String before = fixture.stack.bean(TokenVault.class).peek(user.id(), "google").orElseThrow().accessToken();
        expire(user.id());
        fixture.drainGoogleRequests();
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StackHttp.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            replies.add(pool.submit(() -> {
                go.await();
                return fetch(user.id(), "google", serviceToken);
            }));
        }
        go.countDown();
        Set<String> tokens = new HashSet<>();
        for (Future<StackHttp.Reply> reply : replies) {
            StackHttp.Reply answer = reply.get();
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            tokens.add(answer.json().path("accessToken").asText());
        }
        pool.shutdown();
        assertThat(tokens).hasSize(1).doesNotContain(before);
        assertThat(fixture.googleTokenRequests("refresh_token")).isOne();
        // the refreshed token is stored (sealed) and served from now on without another refresh
        assertThat(fixture.stack.bean(TokenVault.class).peek(user.id(), "google").orElseThrow().accessToken())
                .isEqualTo(tokens.iterator().next());
        assertThat(fetch(user.id(), "google", serviceToken).json().path("accessToken").asText())
                .isEqualTo(tokens.iterator().next());
        assertThat(fixture.googleTokenRequests("refresh_token")).as("still the one refresh").isOne();
    }

    @Test
    void aUserGetsTheirOwnTokenButNeverAnotherUsers() {
        User alice = signedInUser();
        User bob = signedInUser();
        String aliceToken = userToken(alice);
        assertThat(fetch(alice.id(), "google", aliceToken).status()).isEqualTo(200);
        var refused = fetch(bob.id(), "google", aliceToken);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:forbidden");
        assertThat(refused.body()).doesNotContain("accessToken");
    }

    @Test
    void callersWithoutTheScopeOrWithoutAValidTokenAreRefused() {
        User user = signedInUser();
        var unscoped = fetch(user.id(), "google", unscopedToken);
        assertThat(unscoped.status()).isEqualTo(403);
        var anonymous = fetch(user.id(), "google", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        var forged = fetch(user.id(), "google", serviceToken.substring(0, serviceToken.length() - 4) + "AAAA");
        assertThat(forged.status()).isEqualTo(401);
        // the upstream access token is not a Gatehouse token
        String googleToken = fixture.stack.bean(TokenVault.class).peek(user.id(), "google").orElseThrow()
                .accessToken();
        assertThat(fetch(user.id(), "google", googleToken).status()).isEqualTo(401);
    }

    @Test
    void unknownUsersAndProvidersAreNotFoundAndARefusedRefreshIsAConflict() {
        assertThat(fetch("usr_nobody", "google", serviceToken).status()).isEqualTo(404);
        User user = signedInUser();
        assertThat(fetch(user.id(), "github", serviceToken).status()).isEqualTo(404);
        expire(user.id());
        fixture.refuseNextTokenRequest("invalid_grant");
        var refused = fetch(user.id(), "google", serviceToken);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("invalid_grant");
    }
}
