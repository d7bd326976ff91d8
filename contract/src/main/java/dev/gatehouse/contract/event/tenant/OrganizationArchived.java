package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * An organization was archived: it is read-only from now on, no token can be minted for it (its members' permission
 * lookups answer 404) and its API keys were revoked (each with its own {@link ApiKeyRevoked}). Produced on
 * {@code gatehouse.tenant.organization.v1}, keyed by organization id.
 *
 * @param organizationId the organization
 * @param archivedAt     when
 */
@Serdeable
public record OrganizationArchived(OrgId organizationId, Instant archivedAt) {
    public OrganizationArchived {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(archivedAt, "archivedAt");
    }
}
