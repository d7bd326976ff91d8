package dev.gatehouse.tenant.membership;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * A member as the admin API shows it.
 *
 * @param roles                roles granted directly
 * @param effectiveRoles       every role held, directly and through groups (single reads only)
 * @param effectivePermissions the union of their permissions (single reads only)
 */
@Serdeable
public record MemberView(String organizationId, String userId, List<String> roles, Instant createdAt,
                         Instant updatedAt, @Nullable List<String> effectiveRoles,
                         @Nullable List<String> effectivePermissions) {
    static MemberView of(Membership m) {
        return new MemberView(m.organizationId(), m.userId(), m.roles(), m.createdAt(), m.updatedAt(), null, null);
    }
}
