package dev.gatehouse.identity.admin;

import dev.gatehouse.identity.internal.crypto.SecretHasher;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The server-side half of a seed-001 session: session-service's sealed handle (the refresh credential), kept in Redis
 * by session id and never sent to the client, which holds only the short-lived JWT. Logout deletes it, so an old JWT
 * can never be refreshed again.
 */
@Singleton
public class AdminSessions {
    private static final String PREFIX = "gatehouse:identity:admin-session:";
    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;
    private final AdminApiConfig config;

    public AdminSessions(StatefulRedisConnection<String, String> redis, SecretHasher hasher, AdminApiConfig config) {
        this.redis = redis;
        this.hasher = hasher;
        this.config = config;
    }

    public void keep(String sessionId, String sealedHandle) {
        redis.sync().set(key(sessionId), sealedHandle, SetArgs.Builder.px(config.sessionTtl().toMillis()));
    }

    public Optional<String> handle(String sessionId) {
        return Optional.ofNullable(redis.sync().get(key(sessionId)));
    }

    public void forget(String sessionId) {
        redis.sync().del(key(sessionId));
    }

    private String key(String sessionId) {
        return PREFIX + hasher.hashHex("admin-session", sessionId);
    }
}
