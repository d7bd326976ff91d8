package dev.gatehouse.gateway.revocation;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replica's denylist of revoked sessions ({@code SessionRevoked}, by sid) and API keys ({@code ApiKeyRevoked}, by
 * key id), fed by {@link RevocationFeed}. A session entry is kept until no token of the session can be valid any more
 * ({@code tokensExpireBy}); lookups are one hash-map read.
 */
@Singleton
public class Revocations {
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private final Map<String, Instant> apiKeys = new ConcurrentHashMap<>();
    private final Clock clock;

    public Revocations(Clock clock) {
        this.clock = clock;
    }

    public void revokeSession(String sessionId, Instant until) {
        sessions.merge(sessionId, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    public void revokeApiKey(String keyId, Instant at) {
        apiKeys.put(keyId, at);
    }

    public boolean sessionRevoked(String sessionId) {
        return sessionId != null && sessions.containsKey(sessionId);
    }

    public boolean apiKeyRevoked(String keyId) {
        return keyId != null && apiKeys.containsKey(keyId);
    }

    /** Drops session entries past their expiry. */
    public void prune() {
        Instant now = clock.instant();
        sessions.values().removeIf(until -> until.isBefore(now));
    }

    public int size() {
        return sessions.size() + apiKeys.size();
    }
}
