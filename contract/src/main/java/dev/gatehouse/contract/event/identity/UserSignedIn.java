package dev.gatehouse.contract.event.identity;

import dev.gatehouse.contract.id.UserId;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * A user authenticated. Produced by identity-service on {@code gatehouse.identity.user.v1}, keyed by user id.
 *
 * @param userId         the user
 * @param method         {@code password}, {@code magic}, {@code oauth:<provider>}, {@code admin-password},
 *                       {@code dev}
 * @param clientId       the client signed in to, or null
 * @param organizationId the organization the session acts in, or null (also while an organization choice is pending)
 * @param sessionId      the session opened, or null while an organization choice is pending
 * @param ipAddress      the client's address, or null
 * @param signedInAt     when
 */
@Serdeable
public record UserSignedIn(UserId userId, String method, String clientId, String organizationId,
                           String sessionId, String ipAddress, Instant signedInAt) {
    public UserSignedIn {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(signedInAt, "signedInAt");
    }
}
