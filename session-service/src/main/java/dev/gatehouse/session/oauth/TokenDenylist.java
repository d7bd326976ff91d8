package dev.gatehouse.session.oauth;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Revoked access tokens that belong to no session (client_credentials), by {@code jti}, kept in Redis until the
 * token would have expired anyway.
 */
@Singleton
public class TokenDenylist {
    private static final String PREFIX = "gh:denied-jti:";
    private final StatefulRedisConnection<String, String> redis;
    private final Clock clock;

    public TokenDenylist(StatefulRedisConnection<String, String> redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public void deny(String jti, Instant expiresAt) {
        long millis = Duration.between(clock.instant(), expiresAt).toMillis() + 60_000;
        redis.sync().set(PREFIX + jti, "1", SetArgs.Builder.px(millis));
    }

    public boolean denied(String jti) {
        return redis.sync().exists(PREFIX + jti) > 0;
    }
}
