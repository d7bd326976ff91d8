package dev.gatehouse.tenant.organization;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/organizations}.
 *
 * @param slug        unique handle: 1-63 lowercase letters, digits and inner hyphens (DNS-label rules)
 * @param displayName human-readable name, 1-200 characters
 */
@Serdeable
public record CreateOrganizationRequest(
        @NotNull
        @Pattern(regexp = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?",
                message = "must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen")
        String slug,
        @NotBlank @Size(max = 200) String displayName) {
}
