package dev.gatehouse.tenant.rbac;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Body of {@code POST /api/v1/organizations/{orgId}/roles} ({@code key} required) and {@code PUT .../roles/{key}}
 * (no {@code key}; replaces the rest).
 *
 * @param key         1-40 of {@code [a-z0-9_-]}, starting with a letter; not viewer, operator or admin
 * @param displayName 1-100 characters
 * @param description up to 500 characters
 * @param permissions 0-100 permission names such as {@code audit_tail.read}
 */
@Serdeable
public record RoleRequest(@Nullable @Pattern(regexp = "[a-z][a-z0-9_-]{0,39}",
                                  message = "must be 1-40 of a-z, 0-9, _ and -, starting with a letter") String key,
                          @NotBlank @Size(max = 100) String displayName,
                          @Nullable @Size(max = 500) String description,
                          @NotNull @Size(max = Permissions.MAX_PER_ROLE) List<String> permissions) {
}
