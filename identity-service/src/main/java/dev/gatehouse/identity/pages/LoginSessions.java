package dev.gatehouse.identity.pages;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * "Signed in on the hosted pages" in this browser: cookie {@value #COOKIE} (256 random bits, HttpOnly, SameSite=Lax)
 * naming a Redis entry (under the cookie's SHA-256) with the {@link SignedInUser}. The device page and later
 * authorization requests use it; it is not an application session (those are session-service's).
 */
@Singleton
public class LoginSessions {
    public static final String COOKIE = "gh_login";
    private static final String PREFIX = "gh:identity:pages:login:";
    private final StatefulRedisConnection<String, String> redis;
    private final JsonMapper json;
    private final PageCookies cookies;
    private final PagesConfig config;

    public LoginSessions(StatefulRedisConnection<String, String> redis, JsonMapper json, PageCookies cookies,
                         PagesConfig config) {
        this.redis = redis;
        this.json = json;
        this.cookies = cookies;
        this.config = config;
    }

    /** Remembers the user; the answer is the cookie to set. */
    public Cookie start(SignedInUser user) {
        String token = PageTokens.random();
        redis.sync().set(PREFIX + PageTokens.hash(token), write(user),
                SetArgs.Builder.px(config.loginSessionTtl().toMillis()));
        return cookies.lasting(COOKIE, token, config.loginSessionTtl());
    }

    public Optional<SignedInUser> find(HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).filter(PageTokens::wellFormed)
                .flatMap(token -> Optional.ofNullable(redis.sync().get(PREFIX + PageTokens.hash(token))))
                .map(this::read);
    }

    /** Forgets this browser's sign-in; the answer is the cookie that clears it. */
    public Cookie end(HttpRequest<?> request) {
        request.getCookies().findCookie(COOKIE).map(Cookie::getValue).filter(PageTokens::wellFormed)
                .ifPresent(token -> redis.sync().del(PREFIX + PageTokens.hash(token)));
        return cookies.expired(COOKIE);
    }

    private String write(SignedInUser user) {
        try {
            return json.writeValueAsString(user);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SignedInUser read(String value) {
        try {
            return json.readValue(value, SignedInUser.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
