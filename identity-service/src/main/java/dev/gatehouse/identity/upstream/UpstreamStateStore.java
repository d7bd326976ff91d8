package dev.gatehouse.identity.upstream;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Started upstream sign-ins in Redis, keyed by the SHA-256 of their state (a Redis dump reveals no usable state),
 * stored with {@code SET NX PX} (a state is never reused) and taken with {@code GETDEL} (single use: of two concurrent
 * finalizations exactly one sees it).
 */
@Singleton
public class UpstreamStateStore {
    private static final String PREFIX = "gh:upstream-state:";
    private final StatefulRedisConnection<String, String> redis;
    private final JsonMapper json;

    public UpstreamStateStore(StatefulRedisConnection<String, String> redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** Stores the sign-in under {@code state}; false when that state is already taken. */
    public boolean put(String state, PendingUpstreamSignIn pending, Duration ttl) {
        String written;
        try {
            written = json.writeValueAsString(pending);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "OK".equals(redis.sync().set(key(state), written, SetArgs.Builder.nx().px(ttl.toMillis())));
    }

    /** Removes and returns the sign-in started with {@code state}; empty when unknown, expired or already taken. */
    public Optional<PendingUpstreamSignIn> take(String state) {
        String value = redis.sync().getdel(key(state));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(value, PendingUpstreamSignIn.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String key(String state) {
        return PREFIX + sha256Hex(state);
    }

    static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
