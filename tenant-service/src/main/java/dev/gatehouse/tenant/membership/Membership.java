package dev.gatehouse.tenant.membership;

import java.time.Instant;
import java.util.List;

/** A user's membership of an organization, with the roles granted directly. */
public record Membership(String organizationId, String userId, List<String> roles, Instant createdAt,
                         Instant updatedAt) {
    public Membership {
        roles = List.copyOf(roles);
    }
}
