package dev.gatehouse.identity.auth;

import dev.gatehouse.identity.stack.IdentityStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 004's dev-sign-in in the dev environment: a session without a credential, and a non-Secure cookie. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevSignInTest {
    private IdentityStack stack;

    @BeforeAll
    void up() {
        stack = IdentityStack.start(Map.of(), "test", "dev");
    }

    @AfterAll
    void down() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void devSignInSignsInAnyEmailInTheDevEnvironment() {
        String email = "dev-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var reply = stack.http().postJson("/auth/dev-sign-in", Map.of("email", email, "name", "Dev"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("authenticated");
        assertThat(reply.json().path("user").path("email").asText()).isEqualTo(email);
        var cookie = reply.setCookie("access_token").orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.secure()).as("plain http in ./gatehouse dev").isFalse();
        assertThat(cookie.sameSite()).hasValueSatisfying(s -> assertThat(s).isEqualToIgnoringCase("Lax"));
        stack.events().await("UserSignedIn", e -> e.path("payload").path("method").asText().equals("dev"));
    }

    @Test
    void theOpenApiDocumentNeverListsDevSignIn() {
        var spec = stack.http().get("/openapi.yml");
        if (spec.status() == 200) {
            assertThat(spec.body()).doesNotContain("dev-sign-in").contains("/auth/sign-in");
        }
    }
}
