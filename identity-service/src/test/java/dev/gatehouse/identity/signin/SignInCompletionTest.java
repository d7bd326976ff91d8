package dev.gatehouse.identity.signin;

import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import dev.gatehouse.kit.http.ProblemException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The foundation against the real session-service and tenant-service: users, organization choice, sessions opened
 * with a sealed cookie, single-use pending authentications, and the events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInCompletionTest {
    private IdentityStack stack;
    private UserDirectory users;
    private SignInCompletion completion;

    @BeforeAll
    void up() {
        stack = IdentityStack.start(Map.of());
        users = stack.bean(UserDirectory.class);
        completion = stack.bean(SignInCompletion.class);
    }

    @AfterAll
    void down() {
        if (stack != null) {
            stack.close();
        }
    }

    private User newUser() {
        String email = "User-" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
        return users.create(new NewUser(email, true, "Ada", null, null, "test"));
    }

    private static SignInContext web() {
        return new SignInContext(IdentityStack.WEB_CLIENT, SessionClient.Delivery.COOKIE, null, "password", null,
                "JUnit", "127.0.0.1");
    }

    @Test
    void aUserWithoutOrganizationsIsSignedInWithABrowserSession() {
        User user = newUser();
        assertThat(user.email()).isEqualTo(user.email().toLowerCase());
        assertThat(users.findByEmail(user.email().toUpperCase())).contains(user);

        var done = completion.complete(user, web());
        assertThat(done.result()).isInstanceOf(AuthResult.Authenticated.class);
        assertThat(done.session().cookie()).isNotBlank();
        assertThat(done.session().sessionId()).isNotBlank();

        // the cookie is session-service's: it refreshes while the session lives, and not after revocation
        var sessions = stack.bean(SessionClient.class);
        assertThat(sessions.refresh(done.session().cookie())).isPresent();
        sessions.revoke(done.session().sessionId());
        assertThat(sessions.refresh(done.session().cookie())).isEmpty();

        var event = stack.events().await("UserSignedIn", e -> e.path("payload").path("userId").asText()
                .equals(user.id()));
        assertThat(event.path("payload").path("sessionId").asText()).isEqualTo(done.session().sessionId());
        assertThat(event.path("payload").path("method").asText()).isEqualTo("password");
        stack.events().await("UserCreated", e -> e.path("payload").path("userId").asText().equals(user.id()));
    }

    @Test
    void aMemberOfSeveralOrganizationsChoosesOnceWithTheSingleUseToken() {
        User user = newUser();
        var platform = stack.platformServices();
        String acme = platform.createOrganization(IdentityStack.Platform.uniqueSlug("acme"), "Acme");
        String globex = platform.createOrganization(IdentityStack.Platform.uniqueSlug("globex"), "Globex");
        platform.putMember(acme, user.id(), "viewer");
        platform.putMember(globex, user.id(), "admin");
        assertThat(stack.bean(TenantClient.class).organizationsOf(user.userId())).hasSize(2);

        var done = completion.complete(user, web());
        assertThat(done.session()).isNull();
        var choice = (AuthResult.OrgSelectionRequired) done.result();
        assertThat(choice.status()).isEqualTo("orgSelectionRequired");
        assertThat(choice.organizations()).extracting(AuthResult.OrganizationChoice::name)
                .containsExactlyInAnyOrder("Acme", "Globex");
        assertThat(choice.pendingAuthenticationToken()).hasSizeGreaterThanOrEqualTo(43);

        var selected = completion.select(choice.pendingAuthenticationToken(), globex);
        assertThat(selected.authenticated()).isTrue();
        assertThat(selected.session().cookie()).isNotBlank();

        assertThatThrownBy(() -> completion.select(choice.pendingAuthenticationToken(), globex))
                .isInstanceOf(ProblemException.class).hasMessageContaining("pendingAuthenticationToken");
    }

    @Test
    void linkingByVerifiedEmailVerifiesAnUnverifiedAccountAndDropsItsPassword() {
        String email = "link-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        User unverified = users.create(new NewUser(email, false, null, null, "$argon2id$v=19$m=19456,t=2,p=1$x$y",
                "sign-up"));
        assertThat(users.passwordHash(unverified.userId())).isPresent();

        var linked = users.linkVerifiedEmail(email.toUpperCase(), "Grace", "https://cdn.example.com/g.png",
                "oauth:google");
        assertThat(linked.created()).isFalse();
        assertThat(linked.user().id()).isEqualTo(unverified.id());
        assertThat(linked.user().emailVerified()).isTrue();
        assertThat(linked.user().name()).isEqualTo("Grace");
        assertThat(users.passwordHash(unverified.userId())).isEmpty();

        var fresh = users.linkVerifiedEmail("new-" + email, null, null, "oauth:google");
        assertThat(fresh.created()).isTrue();
        assertThat(fresh.user().emailVerified()).isTrue();
    }
}
