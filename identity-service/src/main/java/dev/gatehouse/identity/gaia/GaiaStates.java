package dev.gatehouse.identity.gaia;

import dev.gatehouse.identity.apps.Secrets;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** GAIA sign-ins in flight, in Redis under the SHA-256 of their state; single use (GETDEL), {@code stateTtl}. */
@Singleton
public class GaiaStates {
    private static final String KEY = "gatehouse:identity:gaia:state:";
    private static final String SIGNED_OUT = "gatehouse:identity:gaia:signed-out:";
    private final StatefulRedisConnection<String, String> redis;
    private final JsonMapper json;
    private final GaiaConfig config;

    public GaiaStates(StatefulRedisConnection<String, String> redis, JsonMapper json, GaiaConfig config) {
        this.redis = redis;
        this.json = json;
        this.config = config;
    }

    public enum Platform {
        WEB, DESKTOP, MOBILE
    }

    /**
     * @param loginChallenge session-service's login challenge of the app's authorization request (desktop, mobile)
     * @param browserDigest  SHA-256 of the web sign-in's browser-binding cookie (web)
     */
    @Serdeable
    public record Pending(Platform platform, String codeVerifier, String nonce, @Nullable String loginChallenge,
                          @Nullable String browserDigest) {
        @Override
        public String toString() {
            return "Pending[platform=" + platform + "]";
        }
    }

    public void put(String state, Pending pending) {
        try {
            redis.sync().set(KEY + Secrets.digest(state), json.writeValueAsString(pending),
                    SetArgs.Builder.ex(config.stateTtl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Remembers a session signed out here for a day (the longest access-token lifetime), so its still-unexpired access
     * token inside an old cookie is refused by {@code /api/v1/user/me} at once.
     */
    public void markSignedOut(String sessionId) {
        redis.sync().set(SIGNED_OUT + sessionId, "1", SetArgs.Builder.ex(java.time.Duration.ofDays(1)));
    }

    public boolean signedOut(String sessionId) {
        return redis.sync().exists(SIGNED_OUT + sessionId) > 0;
    }

    public Optional<Pending> consume(String state) {
        if (!Secrets.looksLikeToken(state)) {
            return Optional.empty();
        }
        String value = redis.sync().getdel(KEY + Secrets.digest(state));
        try {
            return value == null ? Optional.empty() : Optional.of(json.readValue(value, Pending.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
