package dev.gatehouse.identity.user;

import io.micronaut.core.annotation.Nullable;

/**
 * A user to create.
 *
 * @param email         the address (normalised to lower case), or null when {@code username} is set
 * @param emailVerified whether the creator proved the address (magic code, upstream provider's verified email)
 * @param name          display name, or null
 * @param pictureUrl    avatar URL, or null
 * @param passwordHash  an argon2id PHC string, or null for a passwordless account
 * @param source        for the event: {@code sign-up}, {@code magic}, {@code oauth:<provider>}, {@code dev}, ...
 */
public record NewUser(@Nullable String email, boolean emailVerified, @Nullable String name,
                      @Nullable String pictureUrl, @Nullable String passwordHash, String source) {
}
