package dev.gatehouse.identity.user;

import dev.gatehouse.contract.id.UserId;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A user of the platform.
 *
 * @param id            {@code usr_...}
 * @param username      the login name of accounts that have one (the bootstrap admin), or null
 * @param email         lower-case address, unique case-insensitively, or null
 * @param emailVerified whether the address is proven
 * @param name          display name, or null
 * @param pictureUrl    avatar URL, or null
 * @param platformAdmin platform administrator
 */
public record User(String id, @Nullable String username, @Nullable String email, boolean emailVerified,
                   @Nullable String name, @Nullable String pictureUrl, boolean platformAdmin, Instant createdAt,
                   Instant updatedAt) {

    public UserId userId() {
        return new UserId(id);
    }
}
