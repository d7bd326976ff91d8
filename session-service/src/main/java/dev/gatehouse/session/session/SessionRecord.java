package dev.gatehouse.session.session;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A session as stored: one sign-in of a user, in an organization, through a client.
 *
 * @param id                the {@code sid} of every token minted for it
 * @param userId            {@code sub}
 * @param organizationId    {@code org_id}, or null
 * @param clientId          the client it was opened for
 * @param scopes            scopes granted at sign-in
 * @param audience          audiences of its access tokens
 * @param userClaims        email, email_verified, name, picture_url as identity-service asserted them
 * @param platformAdmin     the user is a platform administrator
 * @param userAgent         the browser or app that signed in
 * @param ipAddress         where from
 * @param authTime          when the user authenticated
 * @param createdAt         when the session was opened
 * @param lastSeenAt        last refresh
 * @param absoluteExpiresAt no refresh after this
 * @param tokensExpireBy    the latest {@code exp} of any token minted for it
 * @param revokedAt         when it was revoked, or null while it lives
 * @param revokedReason     why
 */
public record SessionRecord(
        String id,
        String userId,
        @Nullable String organizationId,
        String clientId,
        Set<String> scopes,
        java.util.List<String> audience,
        Map<String, Object> userClaims,
        boolean platformAdmin,
        @Nullable String userAgent,
        @Nullable String ipAddress,
        Instant authTime,
        Instant createdAt,
        Instant lastSeenAt,
        Instant absoluteExpiresAt,
        Instant tokensExpireBy,
        @Nullable Instant revokedAt,
        @Nullable String revokedReason) {

    public SessionRecord {
        scopes = Set.copyOf(scopes);
        audience = java.util.List.copyOf(audience);
        userClaims = Map.copyOf(userClaims);
    }

    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(absoluteExpiresAt);
    }
}
