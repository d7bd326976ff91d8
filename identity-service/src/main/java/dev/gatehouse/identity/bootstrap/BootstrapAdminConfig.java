package dev.gatehouse.identity.bootstrap;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The platform's first administrator, under {@code gatehouse.bootstrap.admin} (env
 * {@code GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME} / {@code GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD}). Created once if absent;
 * never updated afterwards (changing the variable does not reset an existing admin's password).
 *
 * @param username the admin's username; unset means no bootstrap admin
 * @param password at least 12 characters; required when username is set
 */
@Context
@ConfigurationProperties("gatehouse.bootstrap.admin")
public record BootstrapAdminConfig(
        @Nullable @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}", message = "must be 1-64 of A-Z a-z 0-9 . _ @ -")
        String username,
        @Nullable @Size(min = 12, max = 256, message = "must be 12 to 256 characters") String password) {

    public BootstrapAdminConfig {
        if (username != null && password == null) {
            throw new InvalidConfigurationException(List.of(
                    "gatehouse.bootstrap.admin.password: must be set when gatehouse.bootstrap.admin.username is set"));
        }
    }

    public boolean enabled() {
        return username != null;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "BootstrapAdminConfig[username=" + username + ", password=" + (password == null ? "unset" : "***") + "]";
    }
}
