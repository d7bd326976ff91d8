package dev.gatehouse.identity.bootstrap;

import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.kit.app.GatehouseApplication;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BootstrapAdminConfigTest {

    private static java.util.List<String> startWith(Map<String, Object> properties) {
        var all = new java.util.HashMap<>(TestServers.get().micronautProperties("identity-service"));
        all.putAll(properties);
        return GatehouseApplication.configurationProblems(all);
    }

    @Test
    void aShortPasswordStopsStartupNamingTheKey() {
        assertThat(startWith(Map.of("gatehouse.bootstrap.admin.username", "admin",
                "gatehouse.bootstrap.admin.password", "short")))
                .contains("gatehouse.bootstrap.admin.password: must be 12 to 256 characters");
    }

    @Test
    void aUsernameWithoutPasswordStopsStartup() {
        assertThat(startWith(Map.of("gatehouse.bootstrap.admin.username", "admin")))
                .contains("gatehouse.bootstrap.admin.password: must be set when gatehouse.bootstrap.admin.username is set");
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        var config = new BootstrapAdminConfig("admin", "correct horse battery staple");
        assertThat(config.toString()).doesNotContain("correct").contains("***");
    }
}
