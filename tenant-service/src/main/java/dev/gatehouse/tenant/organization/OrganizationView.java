package dev.gatehouse.tenant.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/**
 * An organization as the API shows it; absent optional fields are left out.
 *
 * @param externalIssuer for a provisioned tenant, the trusted issuer whose {@code org_id} it was created from
 * @param externalId     for a provisioned tenant, that {@code org_id}
 */
@Serdeable
public record OrganizationView(String id, String slug, String displayName, @Nullable String logoUrl,
                               @Nullable String primaryColor, @Nullable String accentColor,
                               Map<String, String> metadata, Instant createdAt, Instant updatedAt,
                               @Nullable Instant archivedAt, @Nullable String externalIssuer,
                               @Nullable String externalId) {
    public static OrganizationView of(Organization o) {
        return new OrganizationView(o.id(), o.slug(), o.displayName(), o.logoUrl(), o.primaryColor(),
                o.accentColor(), o.metadata(), o.createdAt(), o.updatedAt(), o.archivedAt(), o.externalIssuer(),
                o.externalId());
    }
}
