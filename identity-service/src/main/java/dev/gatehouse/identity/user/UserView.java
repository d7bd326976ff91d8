package dev.gatehouse.identity.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** The shared User DTO of seed 004's responses (never tokens, never credentials). */
@Serdeable
public record UserView(String id, @Nullable String email, boolean emailVerified, @Nullable String name,
                       @Nullable String pictureUrl, Instant createdAt, Instant updatedAt) {
    public static UserView of(User user) {
        return new UserView(user.id(), user.email(), user.emailVerified(), user.name(), user.pictureUrl(),
                user.createdAt(), user.updatedAt());
    }
}
