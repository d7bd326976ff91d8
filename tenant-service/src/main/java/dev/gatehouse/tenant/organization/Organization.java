package dev.gatehouse.tenant.organization;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;

/** An organization (tenant) as stored by tenant-service. */
public record Organization(String id, String slug, String displayName, @Nullable String logoUrl,
                           @Nullable String primaryColor, @Nullable String accentColor, Map<String, String> metadata,
                           Instant createdAt, Instant updatedAt, @Nullable Instant archivedAt,
                           @Nullable String externalIssuer, @Nullable String externalId) {
    public Organization {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public OrgId orgId() {
        return new OrgId(id);
    }

    public boolean archived() {
        return archivedAt != null;
    }
}
