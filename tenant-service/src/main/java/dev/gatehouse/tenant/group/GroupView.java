package dev.gatehouse.tenant.group;

import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

@Serdeable
public record GroupView(String id, String organizationId, String name, @Nullable String description,
                        List<String> roles, @Nullable RateLimitPolicy rateLimit, Instant createdAt,
                        Instant updatedAt) {
    static GroupView of(Group g) {
        return new GroupView(g.id(), g.organizationId(), g.name(), g.description(), g.roles(), g.rateLimit(),
                g.createdAt(), g.updatedAt());
    }

    /** A member of a group. */
    @Serdeable
    public record Member(String userId, Instant addedAt) {
    }
}
