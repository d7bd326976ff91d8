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
            "gatehouse.outbox.poll-interval, soon, "
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
}
