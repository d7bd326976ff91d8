package dev.gatehouse.identity.pages;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * An authenticated user between two steps of the hosted sign-in (organization picker, consent): a single-use
 * 256-bit token in the form, stored in Redis under its SHA-256 for 10 minutes, bound to the browser's CSRF cookie
 * (a token copied to another browser is refused) and to the login challenge it was issued for.
 */
@Singleton
public class PendingSignIns {
    static final Duration TTL = Duration.ofMinutes(10);
    private static final String PREFIX = "gh:identity:pages:pending:";
    private final StatefulRedisConnection<String, String> redis;
    private final JsonMapper json;

    public PendingSignIns(StatefulRedisConnection<String, String> redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /**
     * @param user           the authenticated user (organization chosen or not)
     * @param loginChallenge the challenge it continues, or null (sign-in for a hosted page)
     * @param browser        SHA-256 of the browser's CSRF cookie
     */
    @Serdeable
    public record Pending(SignedInUser user, @Nullable String loginChallenge, String browser) {
    }

    public String put(SignedInUser user, @Nullable String loginChallenge, String csrfCookie) {
        String token = PageTokens.random();
        try {
            redis.sync().set(PREFIX + PageTokens.hash(token),
                    json.writeValueAsString(new Pending(user, loginChallenge, PageTokens.hash(csrfCookie))),
                    SetArgs.Builder.px(TTL.toMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return token;
    }

    /** Takes (once) the pending sign-in of this token, if it belongs to this browser and challenge. */
    public Optional<SignedInUser> take(@Nullable String token, @Nullable String loginChallenge, String csrfCookie) {
        if (!PageTokens.wellFormed(token)) {
            return Optional.empty();
        }
        String value = redis.sync().getdel(PREFIX + PageTokens.hash(token));
        if (value == null) {
            return Optional.empty();
        }
        Pending pending;
        try {
            pending = json.readValue(value, Pending.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        boolean sameBrowser = java.security.MessageDigest.isEqual(pending.browser().getBytes(),
                PageTokens.hash(csrfCookie).getBytes());
        boolean sameChallenge = java.util.Objects.equals(pending.loginChallenge(), loginChallenge);
        return sameBrowser && sameChallenge ? Optional.of(pending.user()) : Optional.empty();
    }
}
