package dev.gatehouse.session.device;

import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.crypto.RandomTokens;
import dev.gatehouse.session.crypto.SecretHasher;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Device grants (RFC 8628) in Redis. A grant is a hash under the HMAC of its device code; the user code is an index
 * key under the HMAC of the normalised user code, pointing at it. Neither code is stored or logged in clear.
 *
 * <p>Every state change is one Lua script: pending → approved | denied exactly once, and a grant is redeemed once
 * (→ {@code spent}, remembering the session it opened so a replay can revoke it). The index lives exactly
 * {@code device-code-ttl}; the grant hash lives {@link #TOMBSTONE} longer but is expired by its {@code exp} field at
 * the same moment, so a late poll gets {@code expired_token} while a code never issued gets {@code invalid_grant}.
 * Times are the service clock's (every replica's clock is NTP-synchronised; a skew of milliseconds only shifts
 * {@code slow_down} by as much).
 */
@Singleton
public class DeviceStore {
    /** How long an expired or spent grant is remembered, to tell {@code expired_token} from an unknown code. */
    static final Duration TOMBSTONE = Duration.ofMinutes(10);
    /** RFC 8628 §3.5: each {@code slow_down} adds 5 seconds to the interval. */
    static final int SLOW_DOWN_SECONDS = 5;
    static final String DEVICE_PURPOSE = "device-code";
    static final String USER_PURPOSE = "user-code";
    private static final String GRANT = "gh:device:";
    private static final String USER_INDEX = "gh:device-user:";
    private static final int MAX_DRAWS = 10;
    private static final Pattern DEVICE_CODE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Logger LOG = LoggerFactory.getLogger(DeviceStore.class);

    /** KEYS: index, grant. ARGV: grant key, ttl ms, grant ttl ms, client, scopes, interval s, exp ms. */
    private static final String CREATE = """
            if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[2], 's', 'pending', 'c', ARGV[4], 'sc', ARGV[5], 'i', ARGV[6], 'exp', ARGV[7])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            return 1""";
    /** KEYS: grant. ARGV: now ms, new state (approved | denied), approval JSON or ''. */
    private static final String DECIDE = """
            local f = redis.call('HMGET', KEYS[1], 's', 'exp')
            if not f[1] or tonumber(ARGV[1]) >= tonumber(f[2]) then return 'missing' end
            if f[1] ~= 'pending' then return 'decided' end
            redis.call('HSET', KEYS[1], 's', ARGV[2])
            if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'a', ARGV[3]) end
            return 'ok'""";
    /** KEYS: grant. ARGV: now ms, client, session id for a redemption, slow_down step s. */
    private static final String POLL = """
            local f = redis.call('HMGET', KEYS[1], 's', 'c', 'i', 'lp', 'exp', 'sc', 'a', 'sid')
            if not f[1] then return {'unknown'} end
            if f[2] ~= ARGV[2] then return {'client'} end
            if f[1] == 'spent' then return {'spent', f[8] or ''} end
            local now = tonumber(ARGV[1])
            if now >= tonumber(f[5]) then
              redis.call('HDEL', KEYS[1], 'a')
              return {'expired'}
            end
            if f[1] == 'pending' then
              local interval = tonumber(f[3])
              redis.call('HSET', KEYS[1], 'lp', ARGV[1])
              if f[4] and now - tonumber(f[4]) < interval * 1000 then
                interval = interval + tonumber(ARGV[4])
                redis.call('HSET', KEYS[1], 'i', interval)
                return {'slow_down', tostring(interval)}
              end
              return {'pending', tostring(interval)}
            end
            if f[1] == 'denied' then
              redis.call('HSET', KEYS[1], 's', 'spent')
              return {'denied'}
            end
            redis.call('HSET', KEYS[1], 's', 'spent', 'sid', ARGV[3])
            redis.call('HDEL', KEYS[1], 'a')
            return {'approved', f[7], f[6]}""";

    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;
    private final JsonMapper json;
    private final ServerConfig config;
    private final Clock clock;

    public DeviceStore(StatefulRedisConnection<String, String> redis, SecretHasher hasher, JsonMapper json,
                       ServerConfig config, Clock clock) {
        this.redis = redis;
        this.hasher = hasher;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** A new grant: the codes (shown once), when it expires and the first polling interval. */
    public record Issued(String deviceCode, String userCode, Instant expiresAt, int intervalSeconds) {
        /** Never prints the codes. */
        @Override
        public String toString() {
            return "Issued[expiresAt=" + expiresAt + ", interval=" + intervalSeconds + "]";
        }
    }

    public Issued create(String clientId, Set<String> scopes) {
        String deviceCode = RandomTokens.next(32);
        String grantHash = hasher.hashHex(DEVICE_PURPOSE, deviceCode);
        Duration ttl = config.deviceCodeTtl();
        Instant expiresAt = clock.instant().plus(ttl);
        int interval = initialInterval();
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            String userCode = UserCodes.next();
            String indexKey = USER_INDEX + userHash(UserCodes.normalize(userCode).orElseThrow());
            Long created = redis.sync().eval(CREATE, ScriptOutputType.INTEGER,
                    new String[] {indexKey, GRANT + grantHash}, GRANT + grantHash, Long.toString(ttl.toMillis()),
                    Long.toString(ttl.plus(TOMBSTONE).toMillis()), clientId, String.join(" ", scopes),
                    Integer.toString(interval), Long.toString(expiresAt.toEpochMilli()));
            if (created != null && created == 1L) {
                LOG.info("device grant {} created for client {}", shortHash(grantHash), clientId);
                return new Issued(deviceCode, userCode, expiresAt, interval);
            }
        }
        // 10 collisions in a row means billions of live codes: something is flooding the endpoint
        throw new IllegalStateException("no free user code after " + MAX_DRAWS + " draws");
    }

    private int initialInterval() {
        long millis = config.devicePollInterval().toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
    }

    /** What a user code names, as the verification page sees it. */
    public sealed interface Lookup permits Pending, Decided, NotFound {
    }

    /** Waiting for the user's answer. */
    public record Pending(String clientId, List<String> scopes, Instant expiresAt) implements Lookup {
    }

    /** Already approved or denied. */
    public record Decided() implements Lookup, Decision {
    }

    /** Unknown, malformed or expired. */
    public record NotFound() implements Lookup, Decision {
    }

    /** What approving or denying can come to. */
    public sealed interface Decision permits Done, Decided, NotFound {
    }

    public record Done() implements Decision {
    }

    /** The grant a (normalised) user code names. */
    public Lookup find(String normalizedUserCode) {
        Optional<String> grantKey = grantKeyOf(normalizedUserCode);
        if (grantKey.isEmpty()) {
            return new NotFound();
        }
        List<String> fields = redis.sync().hmget(grantKey.get(), "s", "c", "sc", "exp").stream()
                .map(v -> v.getValueOrElse(null)).toList();
        if (fields.get(0) == null || clock.millis() >= Long.parseLong(fields.get(3))) {
            return new NotFound();
        }
        if (!"pending".equals(fields.get(0))) {
            return new Decided();
        }
        return new Pending(fields.get(1), scopes(fields.get(2)).stream().toList(),
                Instant.ofEpochMilli(Long.parseLong(fields.get(3))));
    }

    /** Approves a pending grant for the user, once. */
    public Decision approve(String normalizedUserCode, DeviceApproval approval) {
        return decide(normalizedUserCode, "approved", write(approval), " by user " + approval.userId());
    }

    /** Denies a pending grant, once. */
    public Decision deny(String normalizedUserCode) {
        return decide(normalizedUserCode, "denied", "", "");
    }

    private Decision decide(String normalizedUserCode, String state, String approval, String by) {
        Optional<String> grantKey = grantKeyOf(normalizedUserCode);
        if (grantKey.isEmpty()) {
            return new NotFound();
        }
        String result = redis.sync().eval(DECIDE, ScriptOutputType.VALUE, new String[] {grantKey.get()},
                Long.toString(clock.millis()), state, approval);
        return switch (result) {
            case "ok" -> {
                LOG.info("device grant {} {}{}", shortHash(grantKey.get().substring(GRANT.length())), state, by);
                yield new Done();
            }
            case "decided" -> new Decided();
            default -> new NotFound();
        };
    }

    private Optional<String> grantKeyOf(String normalizedUserCode) {
        return Optional.ofNullable(redis.sync().get(USER_INDEX + userHash(normalizedUserCode)));
    }

    /** What a poll of the token endpoint can come to. */
    public sealed interface Poll permits Unknown, Expired, OtherClient, AuthorizationPending, SlowDown, Denied,
            Spent, Approved {
    }

    public record Unknown() implements Poll {
    }

    public record Expired() implements Poll {
    }

    public record OtherClient() implements Poll {
    }

    public record AuthorizationPending(int intervalSeconds) implements Poll {
    }

    /** Polled sooner than the interval, which is now {@code intervalSeconds}. */
    public record SlowDown(int intervalSeconds) implements Poll {
    }

    /** The user said no (reported once; the grant is spent). */
    public record Denied() implements Poll {
    }

    /** Already redeemed (or its denial reported); {@code sessionId} is the session the redemption opened. */
    public record Spent(@Nullable String sessionId) implements Poll {
    }

    /** Approved and now redeemed: open the session. */
    public record Approved(DeviceApproval approval, Set<String> scopes) implements Poll {
    }

    /**
     * One poll by {@code clientId}. A redemption marks the grant spent with {@code sessionId}, the id of the session
     * about to be opened.
     */
    public Poll poll(String deviceCode, String clientId, String sessionId) {
        if (!DEVICE_CODE.matcher(deviceCode).matches()) {
            return new Unknown();
        }
        String key = GRANT + hasher.hashHex(DEVICE_PURPOSE, deviceCode);
        List<Object> result = redis.sync().eval(POLL, ScriptOutputType.MULTI, new String[] {key},
                Long.toString(clock.millis()), clientId, sessionId, Integer.toString(SLOW_DOWN_SECONDS));
        String outcome = (String) result.get(0);
        return switch (outcome) {
            case "unknown" -> new Unknown();
            case "client" -> new OtherClient();
            case "expired" -> new Expired();
            case "spent" -> new Spent(((String) result.get(1)).isEmpty() ? null : (String) result.get(1));
            case "pending" -> new AuthorizationPending(Integer.parseInt((String) result.get(1)));
            case "slow_down" -> new SlowDown(Integer.parseInt((String) result.get(1)));
            case "denied" -> new Denied();
            case "approved" -> new Approved(read((String) result.get(1)), scopes((String) result.get(2)));
            default -> throw new IllegalStateException("unexpected device poll outcome");
        };
    }

    private String userHash(String normalizedUserCode) {
        return hasher.hashHex(USER_PURPOSE, normalizedUserCode);
    }

    /** Enough of a hash to correlate log lines, not to test guesses of a code. */
    static String shortHash(String hashHex) {
        return hashHex.substring(0, 12);
    }

    private static Set<String> scopes(@Nullable String joined) {
        return joined == null || joined.isEmpty() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(joined.split(" ")));
    }

    private String write(DeviceApproval approval) {
        try {
            return json.writeValueAsString(approval);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DeviceApproval read(String value) {
        try {
            return json.readValue(value, DeviceApproval.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
