package dev.gatehouse.contract.event.identity;

import dev.gatehouse.contract.id.UserId;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user's profile or credentials changed. Produced by identity-service on {@code gatehouse.identity.user.v1}, keyed
 * by user id. Carries the current profile, and which parts changed; never a password or its hash.
 *
 * @param userId        the user
 * @param email         current address, or null
 * @param emailVerified whether it is verified
 * @param name          current display name, or null
 * @param pictureUrl    current avatar URL, or null
 * @param changed       what changed: {@code email}, {@code emailVerified}, {@code name}, {@code pictureUrl},
 *                      {@code password}
 * @param updatedAt     when
 */
@Serdeable
public record UserUpdated(UserId userId, String email, boolean emailVerified, String name,
                          String pictureUrl, List<String> changed, Instant updatedAt) {
    public UserUpdated {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(updatedAt, "updatedAt");
        changed = changed == null ? List.of() : List.copyOf(changed);
    }
}
