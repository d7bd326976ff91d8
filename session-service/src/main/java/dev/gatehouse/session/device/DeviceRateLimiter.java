package dev.gatehouse.session.device;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-window limits on failed user-code attempts, in Redis so that all replicas share them: one counter per
 * signed-in user and one for everybody. An attempt is counted before the code is checked (so concurrent guesses
 * cannot overshoot the limit) and handed back when the code turned out to exist: only failures use up the budget.
 */
@Singleton
public class DeviceRateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRateLimiter.class);
    static final String SUBJECT_KEY = "gh:device-limit:subject:";
    static final String GLOBAL_KEY = "gh:device-limit:global";
    /**
     * KEYS: counters. ARGV: limit and window ms of each. Refuses (returning the ms until the full counter resets)
     * when any counter is at its limit, else counts the attempt on all of them and returns 0.
     */
    private static final String ATTEMPT = """
            for i, key in ipairs(KEYS) do
              local n = tonumber(redis.call('GET', key) or '0')
              if n >= tonumber(ARGV[2 * i - 1]) then
                local ttl = redis.call('PTTL', key)
                if ttl < 0 then
                  redis.call('PEXPIRE', key, ARGV[2 * i])
                  ttl = tonumber(ARGV[2 * i])
                end
                return ttl
              end
            end
            for i, key in ipairs(KEYS) do
              redis.call('INCR', key)
              if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
            end
            return 0""";
    private static final String REFUND = """
            for i, key in ipairs(KEYS) do
              if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
            end
            return 0""";

    private final StatefulRedisConnection<String, String> redis;
    private final DeviceConfig config;

    public DeviceRateLimiter(StatefulRedisConnection<String, String> redis, DeviceConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Whether an attempt may go ahead. */
    public sealed interface Attempt permits Allowed, Limited {
    }

    /** Counted; hand it back with {@link #refund} if the code existed. */
    public record Allowed(List<String> keys) implements Attempt {
    }

    /** Over a limit until {@code retryAfter} has passed. */
    public record Limited(Duration retryAfter) implements Attempt {
    }

    /** Counts an attempt of {@code subject} (the signed-in user, or null when unknown: the global limit only). */
    public Attempt attempt(@Nullable String subject) {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        if (subject != null) {
            keys.add(SUBJECT_KEY + subject);
            args.add(Integer.toString(config.subjectFailures()));
            args.add(Long.toString(config.subjectWindow().toMillis()));
        }
        keys.add(GLOBAL_KEY);
        args.add(Integer.toString(config.globalFailures()));
        args.add(Long.toString(config.globalWindow().toMillis()));
        Long wait = redis.sync().eval(ATTEMPT, ScriptOutputType.INTEGER, keys.toArray(String[]::new),
                args.toArray(String[]::new));
        if (wait != null && wait > 0) {
            LOG.warn("device user-code attempts limited ({})", subject == null ? "global" : "user " + subject);
            return new Limited(Duration.ofMillis(wait));
        }
        return new Allowed(List.copyOf(keys));
    }

    /** The attempt named an existing code: it does not count as a failure. */
    public void refund(Allowed attempt) {
        redis.sync().eval(REFUND, ScriptOutputType.INTEGER, attempt.keys().toArray(String[]::new));
    }
}
