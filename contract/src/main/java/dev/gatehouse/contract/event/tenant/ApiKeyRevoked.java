package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key was revoked (by an admin, with its group, or with its archived organization). On the compacted topic
 * {@code gatehouse.tenant.api-key.v1}, keyed by key id: a gateway drops the key from its table at once.
 *
 * @param keyId          the key
 * @param organizationId its organization
 * @param revokedAt      when
 */
@Serdeable
public record ApiKeyRevoked(String keyId, OrgId organizationId, Instant revokedAt) {
    public ApiKeyRevoked {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }
}
