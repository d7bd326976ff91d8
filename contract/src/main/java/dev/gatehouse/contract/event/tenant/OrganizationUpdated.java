package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;
import java.util.Objects;

/**
 * An organization's settings changed. Produced by tenant-service on {@code gatehouse.tenant.organization.v1}, keyed by
 * organization id; carries the whole new state, so a consumer can overwrite its copy.
 *
 * @param organizationId the organization
 * @param slug           its unique handle
 * @param displayName    its name
 * @param logoUrl        https URL of its logo for the hosted pages, or null
 * @param primaryColor   {@code #rrggbb} brand colour of the hosted pages, or null
 * @param accentColor    {@code #rrggbb} second brand colour, or null
 * @param metadata       free-form string metadata (at most 50 entries)
 */
@Serdeable
public record OrganizationUpdated(OrgId organizationId, String slug, String displayName, @Nullable String logoUrl,
                                  @Nullable String primaryColor, @Nullable String accentColor,
                                  Map<String, String> metadata) {
    public OrganizationUpdated {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(displayName, "displayName");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
