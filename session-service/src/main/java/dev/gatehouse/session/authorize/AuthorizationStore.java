package dev.gatehouse.session.authorize;

import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.crypto.RandomTokens;
import dev.gatehouse.session.crypto.SecretHasher;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Login challenges and authorization codes in Redis, both single use and short-lived, both stored under the HMAC of
 * their value (a Redis dump reveals nothing usable). Redeeming a code atomically deletes it and leaves a marker
 * naming the session it opened, so a replay can revoke that session.
 */
@Singleton
public class AuthorizationStore {
    static final Duration REPLAY_MEMORY = Duration.ofMinutes(10);
    private static final String CHALLENGE = "gh:login-challenge:";
    private static final String CODE = "gh:code:";
    private static final String CODE_USED = "gh:code-used:";
    private static final String CODE_REPLAYED = "gh:code-replayed:";
    /** GET + DEL + SET marker in one step: of two concurrent redemptions exactly one sees the value. */
    private static final String REDEEM = """
            local v = redis.call('GET', KEYS[1])
            if v then
              redis.call('DEL', KEYS[1])
              redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
              return v
            end
            local used = redis.call('GET', KEYS[2])
            if used then
              redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
              return 'used:' .. used
            end
            return false""";

    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;
    private final JsonMapper json;
    private final ServerConfig config;

    public AuthorizationStore(StatefulRedisConnection<String, String> redis, SecretHasher hasher, JsonMapper json,
                              ServerConfig config) {
        this.redis = redis;
        this.hasher = hasher;
        this.json = json;
        this.config = config;
    }

    /** Stores the request and returns its login challenge. */
    public String createChallenge(AuthorizationRequest request) {
        String challenge = RandomTokens.next(32);
        redis.sync().set(CHALLENGE + hasher.hashHex("login-challenge", challenge), write(request),
                SetArgs.Builder.px(config.loginChallengeTtl().toMillis()));
        return challenge;
    }

    public Optional<AuthorizationRequest> peekChallenge(String challenge) {
        String value = redis.sync().get(CHALLENGE + hasher.hashHex("login-challenge", challenge));
        return Optional.ofNullable(value).map(v -> read(v, AuthorizationRequest.class));
    }

    /** Removes and returns the request: a challenge is accepted or rejected once. */
    public Optional<AuthorizationRequest> takeChallenge(String challenge) {
        String value = redis.sync().getdel(CHALLENGE + hasher.hashHex("login-challenge", challenge));
        return Optional.ofNullable(value).map(v -> read(v, AuthorizationRequest.class));
    }

    public String issueCode(AuthorizationGrantData data) {
        String code = RandomTokens.next(32);
        redis.sync().set(CODE + hasher.hashHex("code", code), write(data),
                SetArgs.Builder.px(config.authorizationCodeTtl().toMillis()));
        return code;
    }

    /** What redeeming a code can come to. */
    public sealed interface Redemption permits Redeemed, Replayed, Unknown {
    }

    public record Redeemed(AuthorizationGrantData data) implements Redemption {
    }

    /** Already redeemed, for the session named. */
    public record Replayed(String sessionId) implements Redemption {
    }

    public record Unknown() implements Redemption {
    }

    /** Redeems a code once; {@code sessionId} is the session about to be opened with it. */
    public Redemption redeem(String code, String sessionId) {
        String hash = hasher.hashHex("code", code);
        String result = redis.sync().eval(REDEEM, ScriptOutputType.VALUE, new String[] {CODE + hash, CODE_USED + hash,
                CODE_REPLAYED + hash},
                sessionId, Long.toString(REPLAY_MEMORY.toMillis()));
        if (result == null) {
            return new Unknown();
        }
        if (result.startsWith("used:")) {
            return new Replayed(result.substring(5));
        }
        return new Redeemed(read(result, AuthorizationGrantData.class));
    }

    /**
     * Whether the code was presented again after it was redeemed. The redeemer asks once its session exists: a replay
     * that arrived before that could not revoke the session yet.
     */
    public boolean replayed(String code) {
        return redis.sync().exists(CODE_REPLAYED + hasher.hashHex("code", code)) > 0;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
