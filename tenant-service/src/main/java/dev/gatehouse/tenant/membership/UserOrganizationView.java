package dev.gatehouse.tenant.membership;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** One of a user's organizations ({@code GET /internal/v1/users/{userId}/organizations}). */
@Serdeable
public record UserOrganizationView(String id, String slug, String displayName, List<String> roles) {
    static UserOrganizationView of(MembershipService.UserOrganization o) {
        return new UserOrganizationView(o.organizationId(), o.slug(), o.displayName(), o.roles());
    }
}
