package dev.gatehouse.contract.event.session;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * A session ended before its time: signed out, revoked by the user or an admin, or killed by refresh-token reuse.
 * Access tokens carrying this {@code sid} are still unexpired; consumers (gateway-edge) reject them until
 * {@code tokensExpireBy}, after which no token of the session can be valid anyway.
 *
 * @param sessionId      the session
 * @param userId         its user
 * @param organizationId its organization, or null
 * @param reason         why: {@code sign_out}, {@code revoked}, {@code refresh_token_reuse}, {@code code_replay},
 *                       {@code membership_removed}, ...
 * @param revokedAt      when
 * @param tokensExpireBy the latest expiry of any access or ID token minted for the session
 */
@Serdeable
public record SessionRevoked(String sessionId, String userId, String organizationId, String reason,
                             Instant revokedAt, Instant tokensExpireBy) {
    public SessionRevoked {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(tokensExpireBy, "tokensExpireBy");
    }
}
