package dev.gatehouse.identity.magic;

import dev.gatehouse.identity.internal.crypto.SecretHasher;
import dev.gatehouse.identity.user.UserDirectory;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * How often codes may be sent, in Redis (shared by every replica): per address, one per {@code resend-interval} and
 * {@code max-codes-per-hour}; per client address (IP), {@code max-codes-per-client-per-hour}. Counted for every
 * address asked about, known or not, so the limits answer the same for both.
 */
@Singleton
public class MagicCodeLimits {
    private static final String PREFIX = "gatehouse:identity:magic:limit:";
    private static final long HOUR = Duration.ofHours(1).toMillis();

    /**
     * KEYS[1] cooldown, KEYS[2] address hour count, KEYS[3] client hour count (or '' for none); ARGV: interval ms,
     * max per address, max per client, hour ms. Answers 0 (allowed and counted) or the milliseconds to wait.
     */
    private static final String TAKE = """
            local cooldown = redis.call('PTTL', KEYS[1])
            if cooldown > 0 then return cooldown end
            local sent = tonumber(redis.call('GET', KEYS[2]) or '0')
            if sent >= tonumber(ARGV[2]) then
              local wait = redis.call('PTTL', KEYS[2])
              if wait > 0 then return wait end
              return 1000
            end
            if KEYS[3] ~= '' then
              local asked = tonumber(redis.call('GET', KEYS[3]) or '0')
              if asked >= tonumber(ARGV[3]) then
                local wait = redis.call('PTTL', KEYS[3])
                if wait > 0 then return wait end
                return 1000
              end
              if redis.call('INCR', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
            end
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
            return 0""";

    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;
    private final MagicCodeConfig config;

    public MagicCodeLimits(StatefulRedisConnection<String, String> redis, SecretHasher hasher, MagicCodeConfig config) {
        this.redis = redis;
        this.hasher = hasher;
        this.config = config;
    }

    /** Takes one send for {@code email} from {@code client}: empty when allowed, else how long to wait. */
    public java.util.Optional<Duration> take(String email, @Nullable String client) {
        String address = hasher.hashHex("magic-limit-address", UserDirectory.normaliseEmail(email));
        String clientKey = client == null ? "" : PREFIX + "client:" + hasher.hashHex("magic-limit-client", client);
        Long wait = redis.sync().eval(TAKE, ScriptOutputType.INTEGER,
                new String[]{PREFIX + "cooldown:" + address, PREFIX + "hour:" + address, clientKey},
                String.valueOf(Math.max(1, config.resendInterval().toMillis())), String.valueOf(config.maxCodesPerHour()),
                String.valueOf(config.maxCodesPerClientPerHour()), String.valueOf(HOUR));
        return wait == null || wait <= 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofMillis(wait));
    }
}
