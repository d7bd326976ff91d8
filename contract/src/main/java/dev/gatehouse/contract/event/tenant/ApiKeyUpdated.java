package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A live API key's effective state changed because its group changed (roles, a role's permissions, the rate limit).
 * Same fields and meaning as {@link ApiKeyCreated}, on the same compacted topic and key: a consumer replaces its entry.
 */
@Serdeable
public record ApiKeyUpdated(String keyId, OrgId organizationId, String groupId, String prefix, String secretHash,
                            List<String> permissions, @Nullable RateLimitPolicy rateLimit,
                            @Nullable Instant expiresAt) {
    public ApiKeyUpdated {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(secretHash, "secretHash");
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
    }
}
