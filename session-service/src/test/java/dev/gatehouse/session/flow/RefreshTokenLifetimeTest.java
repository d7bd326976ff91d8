package dev.gatehouse.session.flow;

import dev.gatehouse.session.MutableClock;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh-token lifetimes on a frozen clock the test moves: the idle lifetime of an unused token, the session's
 * absolute lifetime that rotation cannot extend, and the exact edge of the reuse grace (default 10 s).
 */
@MicronautTest(transactional = false)
@Property(name = MutableClock.ENABLED, value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshTokenLifetimeTest extends AbstractFlowTest {
    @Inject
    MutableClock clock;

    @BeforeEach
    void freshServiceToken() {
        // the clock moved in earlier tests: a cached service token may have expired
        forgetServiceToken();
    }

    @Test
    void anUnusedRefreshTokenExpiresAfterTheIdleLifetime() throws Exception {
        TestClient client = register(unique("idle"), "confidential", ALL_SCOPES, java.util.List.of(), null, 300, 3600,
                LOOPBACK);
        Instant start = clock.instant();
        Tokens tokens = signIn(client, ALL_SCOPES, User.random());
        assertThat(introspect(client, tokens.refreshToken())).containsEntry("active", true)
                .containsEntry("exp", start.plusSeconds(300).getEpochSecond());

        clock.advance(Duration.ofSeconds(299));
        var used = refresh(client, tokens.refreshToken(), null);
        assertThat(used.statusCode()).isEqualTo(200);
        String next = Tokens.of(json(used)).refreshToken();
        assertThat(introspect(client, next)).containsEntry("exp", start.plusSeconds(599).getEpochSecond());

        clock.advance(Duration.ofSeconds(300));
        assertThat(introspect(client, next)).isEqualTo(Map.of("active", false));
        var idle = refresh(client, next, null);
        assertThat(idle.statusCode()).isEqualTo(400);
        assertThat(oauthError(idle)).isEqualTo("invalid_grant");
    }

    @Test
    void rotationCannotOutliveTheSessionsAbsoluteLifetime() throws Exception {
        TestClient client = register(unique("absolute"), "confidential", ALL_SCOPES, java.util.List.of(), null, 300,
                500, LOOPBACK);
        Instant start = clock.instant();
        Tokens tokens = signIn(client, ALL_SCOPES, User.random());
        long absolute = start.plusSeconds(500).getEpochSecond();

        clock.advance(Duration.ofSeconds(250));
        String second = Tokens.of(json(refresh(client, tokens.refreshToken(), null))).refreshToken();
        assertThat(introspect(client, second)).containsEntry("active", true).containsEntry("exp", absolute);

        clock.advance(Duration.ofSeconds(249));
        var last = refresh(client, second, null);
        assertThat(last.statusCode()).isEqualTo(200);
        String third = Tokens.of(json(last)).refreshToken();
        assertThat(introspect(client, third)).containsEntry("exp", absolute);

        clock.advance(Duration.ofSeconds(1));
        var ended = refresh(client, third, null);
        assertThat(ended.statusCode()).isEqualTo(400);
        assertThat(oauthError(ended)).isEqualTo("invalid_grant");
    }

    @Test
    void reuseWithinTheGraceIsRefusedButReuseAfterItRevokesTheFamily() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens first = signIn(client, ALL_SCOPES, User.random());
        Tokens second = Tokens.of(json(refresh(client, first.refreshToken(), null)));

        clock.advance(Duration.ofSeconds(10));
        var inGrace = refresh(client, first.refreshToken(), null);
        assertThat(inGrace.statusCode()).isEqualTo(400);
        assertThat(oauthError(inGrace)).isEqualTo("invalid_grant");
        var third = refresh(client, second.refreshToken(), null);
        assertThat(third.statusCode()).isEqualTo(200);
        String newest = Tokens.of(json(third)).refreshToken();

        clock.advance(Duration.ofSeconds(1));
        var stolen = refresh(client, first.refreshToken(), null);
        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(oauthError(stolen)).isEqualTo("invalid_grant");
        var family = refresh(client, newest, null);
        assertThat(family.statusCode()).isEqualTo(400);
        assertThat(oauthError(family)).isEqualTo("invalid_grant");
    }

    private Map<String, Object> introspect(TestClient client, String token) throws Exception {
        var response = post("/oauth2/introspect", form("token", token), client.basic());
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }
}
