package dev.gatehouse.tenant;

import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.kit.app.GatehouseApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


import static org.assertj.core.api.Assertions.assertThat;

/** A bad setting stops the service at startup with a message that names the key. */
class ConfigurationErrorsTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "gatehouse.outbox.batch-size, 0, must be greater than or equal to 1",
            "gatehouse.outbox.batch-size, lots, ",
            "gatehouse.outbox.poll-interval, soon, ",
            "gatehouse.tenant.invitations.signing-key, c2hvcnQ=, must decode to at least 32 bytes",
            "gatehouse.tenant.invitations.ttl, 90d, must be 1h to 30d",
            "gatehouse.tenant.rbac.viewer-permissions, Not A Permission, ",
            "gatehouse.tenant.rbac.cache-max-age, soon, ",
            "gatehouse.tenant.auth.jwks-uri, '', "
    })
    void theErrorNamesTheBadKey(String key, String value, String message) {
        var properties = new java.util.HashMap<String, Object>(TestServers.get().micronautProperties("tenant-service"));
        properties.put(key, value);
        assertThat(GatehouseApplication.configurationProblems(properties))
                .anySatisfy(line -> {
                    assertThat(line).startsWith(key + ": ");
                    if (message != null) {
                        assertThat(line).endsWith(message);
                    }
                });
    }

    @org.junit.jupiter.api.Test
    void thePublishedDevInvitationKeyIsRefusedOutsideDevAndTest() {
        var properties = new java.util.HashMap<String, Object>(TestServers.get().micronautProperties("tenant-service"));
        properties.putAll(dev.gatehouse.tenant.support.TestIssuer.get().properties());
        properties.put("gatehouse.tenant.invitations.signing-key", DevSecretsGuard.DEV_INVITATION_KEY);
        var context = io.micronaut.context.ApplicationContext.builder().deduceEnvironment(false)
                .environments("production").properties(properties).build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(context::start)
                    .satisfies(e -> assertThat(GatehouseApplication.describe(e)).anySatisfy(line -> assertThat(line)
                            .startsWith("gatehouse.tenant.invitations.signing-key: is the published dev-only key")));
        } finally {
            try {
                context.stop();
            } catch (RuntimeException ignored) {
                // half started
            }
        }
    }
}
