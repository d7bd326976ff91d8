package dev.gatehouse.identity.password;

import dev.gatehouse.identity.internal.crypto.SecretHasher;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Growing delays and temporary lockout against password guessing (see {@link ThrottleConfig}), kept in Redis so
 * every replica enforces the same limits. Keys are keyed hashes of the identifier and address.
 */
@Singleton
public class PasswordThrottle {
    private static final String PREFIX = "gatehouse:identity:throttle:";
    /** KEYS[1] failures hash; ARGV: now ms, window ms, delayAfter, base ms, max ms, lockoutAfter, lockout ms. */
    private static final String FAIL = """
            local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
            local now = tonumber(ARGV[1])
            local blockedUntil = 0
            if n >= tonumber(ARGV[6]) then
              blockedUntil = now + tonumber(ARGV[7])
            elseif n >= tonumber(ARGV[3]) then
              local delay = tonumber(ARGV[4]) * (2 ^ (n - tonumber(ARGV[3])))
              if delay > tonumber(ARGV[5]) then delay = tonumber(ARGV[5]) end
              blockedUntil = now + delay
            end
            redis.call('HSET', KEYS[1], 'until', blockedUntil)
            local ttl = math.max(tonumber(ARGV[2]), blockedUntil - now)
            redis.call('PEXPIRE', KEYS[1], math.floor(ttl))
            return n""";
    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;
    private final ThrottleConfig config;
    private final Clock clock;

    public PasswordThrottle(StatefulRedisConnection<String, String> redis, SecretHasher hasher, ThrottleConfig config,
                            Clock clock) {
        this.redis = redis;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
    }

    /** Whether an attempt may go ahead now: {@link #ALLOWED}, or how long to wait and whether it is a lockout. */
    public record Verdict(boolean allowed, Duration retryAfter, boolean locked) {
    }

    public static final Verdict ALLOWED = new Verdict(true, Duration.ZERO, false);

    /** May {@code identifier} from {@code address} try a password now? */
    public Verdict check(String identifier, @Nullable String address) {
        long now = clock.millis();
        Verdict account = verdict(accountKey(identifier), now, config.lockoutAfter());
        if (!account.allowed()) {
            return account;
        }
        return address == null ? ALLOWED : verdict(addressKey(address), now, config.ipLockoutAfter());
    }

    /** Records a failed attempt. */
    public void failed(String identifier, @Nullable String address) {
        long now = clock.millis();
        fail(accountKey(identifier), now, config.delayAfter(), config.lockoutAfter());
        if (address != null) {
            // addresses get no per-attempt delay (shared NATs), only the lockout past the much higher threshold
            fail(addressKey(address), now, config.ipLockoutAfter(), config.ipLockoutAfter());
        }
    }

    /** A successful sign-in clears the account's failures (not the address's). */
    public void succeeded(String identifier) {
        redis.sync().del(accountKey(identifier));
    }

    private Verdict verdict(String key, long now, int lockoutAfter) {
        List<String> values = redis.sync().hmget(key, "failures", "until").stream()
                .map(kv -> kv.getValueOrElse(null)).toList();
        long failures = values.get(0) == null ? 0 : Long.parseLong(values.get(0));
        long until = values.get(1) == null ? 0 : (long) Double.parseDouble(values.get(1));
        if (until > now) {
            return new Verdict(false, Duration.ofMillis(until - now), failures >= lockoutAfter);
        }
        return ALLOWED;
    }

    private void fail(String key, long now, int delayAfter, int lockoutAfter) {
        redis.sync().eval(FAIL, ScriptOutputType.INTEGER, new String[]{key}, String.valueOf(now),
                String.valueOf(config.window().toMillis()), String.valueOf(delayAfter),
                String.valueOf(config.baseDelay().toMillis()), String.valueOf(config.maxDelay().toMillis()),
                String.valueOf(lockoutAfter), String.valueOf(config.lockout().toMillis()));
    }

    private String accountKey(String identifier) {
        return PREFIX + "acct:" + hasher.hashHex("throttle-account", identifier.trim().toLowerCase(Locale.ROOT));
    }

    private String addressKey(String address) {
        return PREFIX + "ip:" + hasher.hashHex("throttle-address", address);
    }
}
