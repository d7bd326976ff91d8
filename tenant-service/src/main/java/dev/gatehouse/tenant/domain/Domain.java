package dev.gatehouse.tenant.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * An email domain an organization claims, and how to prove it.
 *
 * @param status       {@code pending} or {@code verified}
 * @param verification the TXT record to publish: {@code gatehouse-verification=<token>} at
 *                     {@code _gatehouse.<domain>}
 */
@Serdeable
public record Domain(String organizationId, String domain, String status, Verification verification,
                     Instant createdAt, @Nullable Instant verifiedAt) {

    /** @param recordType always {@code TXT} */
    @Serdeable
    public record Verification(String recordType, String name, String value) {
    }
}
