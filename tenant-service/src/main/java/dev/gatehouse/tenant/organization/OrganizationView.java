package dev.gatehouse.tenant.organization;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** An organization as the API shows it. */
@Serdeable
public record OrganizationView(String id, String slug, String displayName, Instant createdAt, Instant updatedAt) {
    static OrganizationView of(Organization organization) {
        return new OrganizationView(organization.id(), organization.slug(), organization.displayName(),
                organization.createdAt(), organization.updatedAt());
    }
}
