package dev.gatehouse.contract.event.identity;

import dev.gatehouse.contract.id.UserId;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * A user was created (sign-up, first upstream sign-in, bootstrap). Produced by identity-service on
 * {@code gatehouse.identity.user.v1}, keyed by user id.
 *
 * @param userId        the user
 * @param email         their address (lower case), or null for a username-only account
 * @param emailVerified whether the address is verified
 * @param name          display name, or null
 * @param source        how: {@code sign-up}, {@code password}, {@code magic}, {@code oauth:<provider>},
 *                      {@code bootstrap}, {@code dev}
 * @param createdAt     when
 */
@Serdeable
public record UserCreated(UserId userId, String email, boolean emailVerified, String name,
                          String source, Instant createdAt) {
    public UserCreated {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
