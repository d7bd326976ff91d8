package dev.gatehouse.identity.pages;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A user the hosted pages authenticated, with the organization chosen (null until chosen, or for a user without
 * one). What the pages assert to session-service when they accept a login challenge or approve a device.
 */
@Serdeable
public record SignedInUser(String userId, @Nullable String email, boolean emailVerified, @Nullable String name,
                           @Nullable String pictureUrl, boolean platformAdmin, Instant authTime,
                           @Nullable String organizationId, String method) {
    public SignedInUser inOrganization(@Nullable String organization) {
        return new SignedInUser(userId, email, emailVerified, name, pictureUrl, platformAdmin, authTime, organization,
                method);
    }

    @Override
    public String toString() {
        return "SignedInUser[" + userId + "]";
    }
}
