package dev.gatehouse.tenant.rbac;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * A role as the admin API shows it.
 *
 * @param builtIn true for viewer, operator and admin (read-only)
 */
@Serdeable
public record RoleView(String key, String displayName, @Nullable String description, List<String> permissions,
                       boolean builtIn, @Nullable Instant createdAt, @Nullable Instant updatedAt) {
}
