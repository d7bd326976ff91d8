package dev.gatehouse.session.flow;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** An authorization code lives {@code gatehouse.session.authorization-code-ttl} (here one second) and no longer. */
@MicronautTest(transactional = false)
@Property(name = "gatehouse.session.authorization-code-ttl", value = "1s")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationCodeExpiryTest extends AbstractFlowTest {

    @Test
    void anExpiredCodeIsInvalidGrant() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Pkce pkce = Pkce.create();
        String code = code(client, LOOPBACK, ALL_SCOPES, pkce, null, User.random());
        Thread.sleep(1_500);

        var expired = redeem(client, code, LOOPBACK, pkce.verifier());
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(oauthError(expired)).isEqualTo("invalid_grant");
    }

    @Test
    void aCodeRedeemedWithinItsLifetimeWorks() throws Exception {
        TestClient client = publicClient(ALL_SCOPES, LOOPBACK);
        Pkce pkce = Pkce.create();
        String code = code(client, LOOPBACK, ALL_SCOPES, pkce, null, User.random());

        var redeemed = redeem(client, code, LOOPBACK, pkce.verifier());
        assertThat(redeemed.statusCode()).isEqualTo(200);
    }
}
