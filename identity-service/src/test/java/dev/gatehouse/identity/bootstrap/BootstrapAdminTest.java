package dev.gatehouse.identity.bootstrap;

import dev.gatehouse.devstack.RealServers;
import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.UserRepository;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootstrapAdminTest implements RealServers {
    private static final String PASSWORD = "correct horse battery staple";

    @Inject
    UserRepository users;
    @Inject
    PasswordHasher hasher;
    @Inject
    BootstrapAdmin bootstrap;

    @Override
    public String serviceName() {
        return "identity-service";
    }

    @Override
    public Map<String, String> getProperties() {
        var properties = new HashMap<>(RealServers.super.getProperties());
        properties.put("gatehouse.bootstrap.admin.username", "Admin");
        properties.put("gatehouse.bootstrap.admin.password", PASSWORD);
        return properties;
    }

    @Test
    void theAdminIsCreatedAtStartupWithAnArgon2idHashOfThePassword() {
        var admin = users.findByUsername("admin").orElseThrow();
        assertThat(admin.platformAdmin()).isTrue();
        String hash = users.findPasswordHash(admin.id()).orElseThrow();
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
        assertThat(hasher.matches(PASSWORD, hash)).isTrue();
        assertThat(hasher.matches(PASSWORD + "!", hash)).isFalse();
    }

    @Test
    void anExistingAdminIsLeftUnchanged() {
        String before = users.findPasswordHash(users.findByUsername("ADMIN").orElseThrow().id()).orElseThrow();
        assertThat(bootstrap.ensureAdmin()).isFalse();
        assertThat(users.findPasswordHash(users.findByUsername("admin").orElseThrow().id())).hasValue(before);
    }
}
