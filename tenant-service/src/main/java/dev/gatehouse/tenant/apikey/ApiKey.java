package dev.gatehouse.tenant.apikey;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** An API key as stored: never its secret, only the secret's hash (which is not even shown by the API). */
public record ApiKey(String id, String organizationId, @Nullable String groupId, String name, String prefix,
                     String createdBy, Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant lastUsedAt,
                     @Nullable Instant revokedAt) {

    public String status(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
    }
}
