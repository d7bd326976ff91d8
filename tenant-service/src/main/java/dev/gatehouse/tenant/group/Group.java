package dev.gatehouse.tenant.group;

import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/** A user group of an organization: members, roles granted to them, and a rate limit for its API keys. */
public record Group(String id, String organizationId, String name, @Nullable String description, List<String> roles,
                    @Nullable RateLimitPolicy rateLimit, Instant createdAt, Instant updatedAt) {
    public Group {
        roles = List.copyOf(roles);
    }
}
