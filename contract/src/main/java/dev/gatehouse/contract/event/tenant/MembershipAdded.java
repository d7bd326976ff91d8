package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Objects;

/**
 * A user became a member of an organization. Produced by tenant-service on {@code gatehouse.tenant.membership.v1},
 * keyed by {@code <organizationId>:<userId>} so the events of one membership stay in order.
 *
 * @param organizationId the organization
 * @param userId         the user
 * @param roles          the roles granted directly (role keys: {@code viewer}, {@code operator}, {@code admin} or
 *                       a custom role of the organization)
 */
@Serdeable
public record MembershipAdded(OrgId organizationId, UserId userId, List<String> roles) {
    public MembershipAdded {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** The Kafka key of every event of one membership. */
    public static String key(OrgId organizationId, UserId userId) {
        return organizationId.value() + ":" + userId.value();
    }
}
