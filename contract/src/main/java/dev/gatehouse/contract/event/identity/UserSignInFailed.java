package dev.gatehouse.contract.event.identity;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in attempt failed. Produced by identity-service on {@code gatehouse.identity.user.v1}, keyed by user id, or
 * by {@code unknown} when the identifier named no user. Never carries the credential tried.
 *
 * @param userId     the user, or null when the identifier is unknown
 * @param identifier the email or username tried (lower case)
 * @param method     {@code password}, {@code magic}, {@code admin-password}, ...
 * @param reason     {@code invalid_credentials}, {@code locked}, {@code throttled}, {@code no_password}
 * @param ipAddress  the client's address, or null
 * @param failedAt   when
 */
@Serdeable
public record UserSignInFailed(String userId, String identifier, String method, String reason,
                               String ipAddress, Instant failedAt) {
    public UserSignInFailed {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failedAt");
    }

    /** The Kafka key: the user, or {@code unknown}. */
    public String key() {
        return userId == null ? "unknown" : userId;
    }
}
