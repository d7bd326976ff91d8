package dev.gatehouse.session.session;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The hot, expiring half of session state in Redis: one key per session, {@code a} while it lives (until its
 * absolute expiry) and {@code r} once revoked (until its last token expired). Introspection, userinfo and cookie
 * refresh ask here first; a missing key (Redis restarted, or an old session) or a Redis error falls back to
 * PostgreSQL, which stays authoritative. An {@code a} key lives at most {@link #ACTIVE_TTL}: should a revocation
 * fail to reach Redis (it was down), a stale {@code a} cannot outlive that.
 */
@Singleton
public class SessionHotState {
    private static final Logger LOG = LoggerFactory.getLogger(SessionHotState.class);
    private static final String PREFIX = "gh:session:";
    static final Duration ACTIVE_TTL = Duration.ofMinutes(5);
    private final StatefulRedisConnection<String, String> redis;
    private final Clock clock;

    public SessionHotState(StatefulRedisConnection<String, String> redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public enum Status { ACTIVE, REVOKED, UNKNOWN }

    public Status status(String sessionId) {
        try {
            String value = redis.sync().get(PREFIX + sessionId);
            if (value == null) {
                return Status.UNKNOWN;
            }
            return "r".equals(value) ? Status.REVOKED : Status.ACTIVE;
        } catch (RedisException e) {
            LOG.warn("Redis unavailable for session status, falling back to PostgreSQL: {}", e.getMessage());
            return Status.UNKNOWN;
        }
    }

    public void markActive(String sessionId, Instant until) {
        // only where nothing is known yet: a revocation written at the same moment must win
        Instant cap = clock.instant().plus(ACTIVE_TTL);
        put(sessionId, "a", until.isBefore(cap) ? until : cap, true);
    }

    public void markRevoked(String sessionId, Instant until) {
        put(sessionId, "r", until, false);
    }

    private void put(String sessionId, String value, Instant until, boolean onlyIfAbsent) {
        long millis = Duration.between(clock.instant(), until).toMillis();
        try {
            if (millis <= 0) {
                if (!onlyIfAbsent) {
                    redis.sync().del(PREFIX + sessionId);
                }
            } else {
                SetArgs args = SetArgs.Builder.px(millis);
                redis.sync().set(PREFIX + sessionId, value, onlyIfAbsent ? args.nx() : args);
            }
        } catch (RedisException e) {
            LOG.warn("Redis unavailable, session {} hot state not updated: {}", sessionId, e.getMessage());
        }
    }
}
