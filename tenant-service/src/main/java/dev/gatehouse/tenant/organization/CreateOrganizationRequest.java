package dev.gatehouse.tenant.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * Body of {@code POST /api/v1/organizations}.
 *
 * @param slug         unique handle: 1-63 lowercase letters, digits and inner hyphens (DNS-label rules)
 * @param displayName  human-readable name, 1-200 characters
 * @param logoUrl      https URL of the logo shown on the hosted pages
 * @param primaryColor {@code #rrggbb}
 * @param accentColor  {@code #rrggbb}
 * @param metadata     up to 50 string entries; keys 1-40 of {@code [A-Za-z0-9_.-]}, values up to 500 characters
 */
@Serdeable
public record CreateOrganizationRequest(
        @NotNull @Pattern(regexp = OrganizationRules.SLUG, message = OrganizationRules.SLUG_MESSAGE) String slug,
        @NotBlank @Size(max = 200) String displayName,
        @Nullable @Size(max = 2048) String logoUrl,
        @Nullable @Pattern(regexp = OrganizationRules.COLOR, message = OrganizationRules.COLOR_MESSAGE)
        String primaryColor,
        @Nullable @Pattern(regexp = OrganizationRules.COLOR, message = OrganizationRules.COLOR_MESSAGE)
        String accentColor,
        @Nullable Map<String, String> metadata) {
}
