package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An API key was created (seed 001: {@code X-API-Key}). Produced by tenant-service on the compacted topic
 * {@code gatehouse.tenant.api-key.v1}, keyed by key id: the latest record of a key is its current state, from which
 * gateway-edge keeps an in-memory table and checks presented keys without a network hop.
 *
 * <p>The secret itself never leaves tenant-service. {@code secretHash} is {@code base64url(SHA-256(key))} without
 * padding, over the UTF-8 bytes of the whole presented key ({@code gh_live_...}); unkeyed, because the key carries 256
 * random bits, so a gateway computes the same hash with no shared secret.
 *
 * @param keyId          {@code key_...}
 * @param organizationId the organization it acts for
 * @param groupId        the user group it is scoped to (its roles give the permissions, its policy the rate limit)
 * @param prefix         the public part of the key ({@code gh_live_} + 12 characters), shown in lists
 * @param secretHash     {@code base64url(SHA-256(UTF-8 key))}, no padding
 * @param permissions    the key's effective permissions (its group's, never admin-only ones)
 * @param rateLimit      its group's rate limit, or null for none
 * @param expiresAt      when it stops working, or null for never
 */
@Serdeable
public record ApiKeyCreated(String keyId, OrgId organizationId, String groupId, String prefix, String secretHash,
                            List<String> permissions, @Nullable RateLimitPolicy rateLimit,
                            @Nullable Instant expiresAt) {
    public ApiKeyCreated {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(secretHash, "secretHash");
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
    }
}
