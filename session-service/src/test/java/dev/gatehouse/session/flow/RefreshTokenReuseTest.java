package dev.gatehouse.session.flow;

import com.nimbusds.jose.JOSEObjectType;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** With no reuse grace, presenting a rotated refresh token again is theft: the whole family and session end. */
@MicronautTest(transactional = false)
@Property(name = "gatehouse.session.refresh-reuse-grace", value = "0s")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshTokenReuseTest extends AbstractFlowTest {

    @Test
    void refreshReuseRevokesTheWholeFamily() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Tokens signedIn = signIn(client, ALL_SCOPES, User.random());
        Tokens second = Tokens.of(json(refresh(client, signedIn.refreshToken(), null)));
        Tokens third = Tokens.of(json(refresh(client, second.refreshToken(), null)));
        assertThat(third.refreshToken()).startsWith("ghr_");
        assertThat(get("/oauth2/userinfo", third.accessToken()).statusCode()).isEqualTo(200);
        Thread.sleep(5);

        var reused = refresh(client, signedIn.refreshToken(), null);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(oauthError(reused)).isEqualTo("invalid_grant");

        var newest = refresh(client, third.refreshToken(), null);
        assertThat(newest.statusCode()).isEqualTo(400);
        assertThat(oauthError(newest)).isEqualTo("invalid_grant");
        var userinfo = get("/oauth2/userinfo", third.accessToken());
        assertThat(userinfo.statusCode()).isEqualTo(401);

        // the internal API sees the session as ended too: revoking it again changes nothing and succeeds
        String sid = verified(third.accessToken(), new JOSEObjectType("at+jwt")).getStringClaim("sid");
        assertThat(send("DELETE", "/internal/v1/sessions/" + sid, null, serviceToken()).statusCode()).isEqualTo(204);
        assertThat(revokedEvent(sid)).containsEntry("reason", "refresh_token_reuse");
        assertThat(sessionEvents(sid, "SessionRevoked", java.time.Duration.ofSeconds(5)))
                .extracting(e -> e.get("type")).containsExactly("SessionCreated", "SessionRevoked");
    }

    @Test
    void reuseOfOneFamilyLeavesTheUsersOtherSessionsAlone() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        User user = User.random();
        Tokens stolen = signIn(client, ALL_SCOPES, user);
        Tokens other = signIn(client, ALL_SCOPES, user);
        refresh(client, stolen.refreshToken(), null);
        Thread.sleep(5);
        assertThat(oauthError(refresh(client, stolen.refreshToken(), null))).isEqualTo("invalid_grant");

        assertThat(refresh(client, other.refreshToken(), null).statusCode()).isEqualTo(200);
    }
}
