package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;

/**
 * A user is no longer a member of an organization. Produced on {@code gatehouse.tenant.membership.v1}, keyed by
 * {@code <organizationId>:<userId>}. session-service revokes the user's sessions in that organization
 * ({@code SessionRevoked} with reason {@code membership_removed}).
 *
 * @param organizationId the organization
 * @param userId         the former member
 */
@Serdeable
public record MembershipRemoved(OrgId organizationId, UserId userId) {
    public MembershipRemoved {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
    }
}
