package dev.gatehouse.tenant.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * Body of {@code PATCH /api/v1/organizations/{id}}: a field left out keeps its value; an empty string clears
 * {@code logoUrl}, {@code primaryColor} or {@code accentColor}; {@code metadata} replaces the whole map.
 */
@Serdeable
public record UpdateOrganizationRequest(
        @Nullable @Pattern(regexp = OrganizationRules.SLUG, message = OrganizationRules.SLUG_MESSAGE) String slug,
        @Nullable @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
        String displayName,
        @Nullable @Size(max = 2048) String logoUrl,
        @Nullable @Pattern(regexp = "|" + OrganizationRules.COLOR, message = OrganizationRules.COLOR_MESSAGE)
        String primaryColor,
        @Nullable @Pattern(regexp = "|" + OrganizationRules.COLOR, message = OrganizationRules.COLOR_MESSAGE)
        String accentColor,
        @Nullable Map<String, String> metadata) {
}
