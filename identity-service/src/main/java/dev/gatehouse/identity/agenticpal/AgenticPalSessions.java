package dev.gatehouse.identity.agenticpal;

import dev.gatehouse.identity.apps.Secrets;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Seed 003's sessions and OAuth states in Redis. Keys hold the SHA-256 of the cookie value or state, never the value.
 * Sessions slide: every read pushes the expiry {@code sessionTtl} ahead (GETEX, atomic). States are single use
 * (GETDEL, atomic) and live {@code stateTtl}.
 */
@Singleton
public class AgenticPalSessions {
    private static final String SESSION = "gatehouse:identity:agenticpal:session:";
    private static final String STATE = "gatehouse:identity:agenticpal:state:";
    private final StatefulRedisConnection<String, String> redis;
    private final JsonMapper json;
    private final AgenticPalConfig config;
    private final Clock clock;

    public AgenticPalSessions(StatefulRedisConnection<String, String> redis, JsonMapper json, AgenticPalConfig config,
                              Clock clock) {
        this.redis = redis;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** The seed's session data, plus the Gatehouse user it signed in (null before the callback). */
    @Serdeable
    public record Session(@Nullable String userId, @Nullable String userEmail, Instant createdAt,
                          Instant lastAccessed, List<String> threadIds) {
        Session touched(Instant now) {
            return new Session(userId, userEmail, createdAt, now, threadIds);
        }
    }

    /** A pending login: the browser's session, where to go after, and the PKCE verifier and nonce towards Google. */
    @Serdeable
    public record PendingLogin(String sessionDigest, String frontendRedirect, String codeVerifier, String nonce) {
        @Override
        public String toString() {
            return "PendingLogin[frontendRedirect=" + frontendRedirect + "]";
        }
    }

    /** A new anonymous session; returns its id (the cookie value). */
    public String create() {
        String id = Secrets.token();
        Instant now = clock.instant();
        write(id, new Session(null, null, now, now, List.of()), false);
        return id;
    }

    /** Creates a signed-in session (a fresh id at sign-in: no session fixation). */
    public String createSignedIn(String userId, String email, Instant createdAt) {
        String id = Secrets.token();
        write(id, new Session(userId, email, createdAt, clock.instant(), List.of()), false);
        return id;
    }

    /** The session, its expiry pushed ahead and {@code last_accessed} updated; empty when unknown or expired. */
    public Optional<Session> touch(String id) {
        if (!Secrets.looksLikeToken(id)) {
            return Optional.empty();
        }
        String value = redis.sync().getex(SESSION + Secrets.digest(id), GetExArgs.Builder.ex(config.sessionTtl()));
        if (value == null) {
            return Optional.empty();
        }
        Session session = read(value, Session.class).touched(clock.instant());
        write(id, session, true);
        return Optional.of(session);
    }

    public void delete(String id) {
        if (Secrets.looksLikeToken(id)) {
            redis.sync().del(SESSION + Secrets.digest(id));
        }
    }

    /** Remaining lifetime of a session in seconds (-2 when gone); for tests and operators. */
    public long ttlSeconds(String id) {
        return redis.sync().ttl(SESSION + Secrets.digest(id));
    }

    /** Parks a login under {@code state} (a {@link Secrets#token()}). */
    public void begin(String state, PendingLogin login) {
        redis.sync().set(STATE + Secrets.digest(state), write(login), SetArgs.Builder.ex(config.stateTtl()));
    }

    /** The login parked under {@code state}, removed in the same step (single use). */
    public Optional<PendingLogin> consume(String state) {
        if (!Secrets.looksLikeToken(state)) {
            return Optional.empty();
        }
        String value = redis.sync().getdel(STATE + Secrets.digest(state));
        return value == null ? Optional.empty() : Optional.of(read(value, PendingLogin.class));
    }

    private void write(String id, Session session, boolean onlyIfPresent) {
        SetArgs args = SetArgs.Builder.ex(config.sessionTtl());
        redis.sync().set(SESSION + Secrets.digest(id), write(session), onlyIfPresent ? args.xx() : args);
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
