package dev.gatehouse.tenant.apikey;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * An API key as the admin API shows it: the public prefix, never the secret or its hash.
 *
 * @param status {@code active}, {@code expired} or {@code revoked}
 */
@Serdeable
public record ApiKeyView(String id, String organizationId, @Nullable String groupId, String name, String prefix,
                         String status, String createdBy, Instant createdAt, @Nullable Instant expiresAt,
                         @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
    static ApiKeyView of(ApiKey k, Instant now) {
        return new ApiKeyView(k.id(), k.organizationId(), k.groupId(), k.name(), k.prefix(), k.status(now),
                k.createdBy(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.revokedAt());
    }

    /**
     * The answer to creating a key: the only time the secret is ever shown.
     *
     * @param apiKey the key
     * @param secret the whole key to send as {@code X-API-Key}; store it now, it cannot be shown again
     */
    @Serdeable
    public record WithSecret(ApiKeyView apiKey, String secret) {
    }
}
