package dev.gatehouse.identity.magic;

import dev.gatehouse.identity.internal.crypto.SecretHasher;
import dev.gatehouse.identity.user.UserDirectory;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * One-time sign-in codes in Redis: 6 random digits, valid for {@code ttl}, single use, void after {@code maxAttempts}
 * wrong guesses. Redis holds only the keyed hash (HMAC under {@code gatehouse.identity.hash-key}) of the address and
 * code, never the code, under a key that is itself a keyed hash of the address. A new code replaces the previous one.
 * Checking is one Lua script, so concurrent guesses cannot exceed the attempt limit and a code is redeemed once; the
 * comparison inside it takes the same time wherever the hashes differ.
 */
@Singleton
public class MagicCodes {
    private static final String PREFIX = "gatehouse:identity:magic:code:";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** KEYS[1] the code; ARGV: candidate hash, max attempts, now ms. 1 redeemed, 0 wrong, -1 void, -2 none/expired. */
    private static final String CHECK = """
            local stored = redis.call('HGET', KEYS[1], 'h')
            if not stored then return -2 end
            if tonumber(redis.call('HGET', KEYS[1], 'exp')) <= tonumber(ARGV[3]) then
              redis.call('DEL', KEYS[1])
              return -2
            end
            local attempts = redis.call('HINCRBY', KEYS[1], 'a', 1)
            local max = tonumber(ARGV[2])
            if attempts > max then
              redis.call('DEL', KEYS[1])
              return -1
            end
            local candidate = ARGV[1]
            local diff = 0
            if #candidate ~= #stored then diff = 1 end
            for i = 1, #stored do
              local c = string.byte(candidate, i) or 0
              diff = bit.bor(diff, bit.bxor(string.byte(stored, i), c))
            end
            if diff == 0 then
              redis.call('DEL', KEYS[1])
              return 1
            end
            if attempts >= max then
              redis.call('DEL', KEYS[1])
              return -1
            end
            return 0""";

    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;
    private final MagicCodeConfig config;
    private final Clock clock;

    public MagicCodes(StatefulRedisConnection<String, String> redis, SecretHasher hasher, MagicCodeConfig config,
                      Clock clock) {
        this.redis = redis;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
    }

    /** What a check found. */
    public enum Check {
        /** the code was right; it is spent */
        REDEEMED,
        /** wrong; attempts remain */
        WRONG,
        /** wrong, and the attempts are used up: the code is gone */
        VOID,
        /** no code for this address (never sent, expired, already used or voided) */
        NONE
    }

    /** Issues a fresh code for {@code email} (replacing any earlier one) and returns it, for the mail only. */
    public String issue(String email) {
        String normalised = UserDirectory.normaliseEmail(email);
        String code = "%06d".formatted(RANDOM.nextInt(1_000_000));
        long now = clock.millis();
        String key = key(normalised);
        var commands = redis.sync();
        commands.del(key);
        commands.hset(key, Map.of("h", hash(normalised, code), "a", "0",
                "exp", String.valueOf(now + config.ttl().toMillis())));
        // a little past the expiry: the script decides by the stored time, Redis only cleans up
        commands.pexpire(key, config.ttl().toMillis() + 60_000);
        return code;
    }

    /** Checks {@code code} for {@code email}, counting the attempt. */
    public Check check(String email, String code) {
        String normalised = UserDirectory.normaliseEmail(email);
        Long result = redis.sync().eval(CHECK, ScriptOutputType.INTEGER, new String[]{key(normalised)},
                hash(normalised, code), String.valueOf(config.maxAttempts()), String.valueOf(clock.millis()));
        return switch (result == null ? -2 : result.intValue()) {
            case 1 -> Check.REDEEMED;
            case 0 -> Check.WRONG;
            case -1 -> Check.VOID;
            default -> Check.NONE;
        };
    }

    private String key(String normalisedEmail) {
        return PREFIX + hasher.hashHex("magic-code-address", normalisedEmail);
    }

    private String hash(String normalisedEmail, String code) {
        return hasher.hashHex("magic-code", normalisedEmail + "\0" + code);
    }
}
