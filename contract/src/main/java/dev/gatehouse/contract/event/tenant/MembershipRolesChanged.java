package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Objects;

/**
 * A member's directly granted roles changed. Produced on {@code gatehouse.tenant.membership.v1}, keyed by
 * {@code <organizationId>:<userId>}. The next token minted for the user carries the new permissions (session-service
 * looks them up at every mint and refresh).
 *
 * @param organizationId the organization
 * @param userId         the member
 * @param roles          the roles granted directly now
 */
@Serdeable
public record MembershipRolesChanged(OrgId organizationId, UserId userId, List<String> roles) {
    public MembershipRolesChanged {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
