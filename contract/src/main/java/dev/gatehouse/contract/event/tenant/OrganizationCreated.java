package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;

/**
 * An organization (tenant) was created. Produced by tenant-service on {@code gatehouse.tenant.organization.v1}.
 *
 * @param organizationId the new organization
 * @param slug           its unique, URL-safe handle
 * @param displayName    its human-readable name
 */
@Serdeable
public record OrganizationCreated(OrgId organizationId, String slug, String displayName) {
    public OrganizationCreated {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(displayName, "displayName");
    }
}
