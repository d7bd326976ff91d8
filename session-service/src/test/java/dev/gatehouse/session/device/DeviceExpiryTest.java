package dev.gatehouse.session.device;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** A device code past {@code device-code-ttl}: expired_token at the token endpoint, gone from the device page. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Property(name = "gatehouse.session.device-code-ttl", value = "2s")
class DeviceExpiryTest extends DeviceServerTest {

    @Test
    void anExpiredDeviceCodeIsExpiredTokenWhetherApprovedOrNot() throws Exception {
        String serviceToken = serviceToken(internalService());
        TestClient client = deviceClient();
        var pending = startFlow(client, null);
        var approved = startFlow(client, null);
        assertThat(pending).containsEntry("expires_in", 2L);
        assertThat(approve(serviceToken, (String) approved.get("user_code"), user("usr_alice", "org_acme"))
                .statusCode()).isEqualTo(204);

        Thread.sleep(2300);

        assertOAuthError(poll(client, pending.get("device_code")), 400, "expired_token");
        assertOAuthError(poll(client, approved.get("device_code")), 400, "expired_token");
        // never issued: not expired but unknown
        assertOAuthError(poll(client, "B".repeat(43)), 400, "invalid_grant");

        String userCode = (String) pending.get("user_code");
        assertProblem(lookup(serviceToken, userCode, "usr_alice"), 404, "not-found");
        assertProblem(approve(serviceToken, userCode, user("usr_alice", "org_acme")), 404, "not-found");
        assertProblem(deny(serviceToken, userCode), 404, "not-found");
    }
}
