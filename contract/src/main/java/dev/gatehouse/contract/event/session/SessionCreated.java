package dev.gatehouse.contract.event.session;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * A user signed in and session-service opened a session. Produced on {@code gatehouse.session.session.v1}, keyed by
 * session id.
 *
 * @param sessionId      the session ({@code sid} claim of every token minted for it)
 * @param userId         the signed-in user ({@code sub})
 * @param organizationId the organization the session acts in, or null
 * @param clientId       the OAuth client the session was opened for
 * @param createdAt      when
 */
@Serdeable
public record SessionCreated(String sessionId, String userId, String organizationId, String clientId,
                             Instant createdAt) {
    public SessionCreated {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
