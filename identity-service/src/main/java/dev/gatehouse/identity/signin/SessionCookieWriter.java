package dev.gatehouse.identity.signin;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Writes, reads and clears the browser-session cookie: HttpOnly, SameSite=Lax, Secure unless configured off (dev).
 * Its value is a credential: never logged.
 */
@Singleton
public class SessionCookieWriter {
    private final CookieConfig config;

    public SessionCookieWriter(CookieConfig config) {
        this.config = config;
    }

    public String name() {
        return config.name();
    }

    /** Sets the cookie to {@code sealedValue}. */
    public <T> MutableHttpResponse<T> write(MutableHttpResponse<T> response, String sealedValue) {
        return response.cookie(base(sealedValue).maxAge(config.maxAge()));
    }

    /** Expires the cookie in the browser. */
    public <T> MutableHttpResponse<T> clear(MutableHttpResponse<T> response) {
        return response.cookie(base("").maxAge(0));
    }

    /** The cookie's value on a request, if present and not empty. */
    public Optional<String> read(HttpRequest<?> request) {
        return request.getCookies().findCookie(config.name()).map(Cookie::getValue).filter(v -> !v.isBlank());
    }

    private Cookie base(String value) {
        Cookie cookie = Cookie.of(config.name(), value).httpOnly(true).secure(config.secure())
                .sameSite(SameSite.Lax).path(config.path());
        if (config.domain() != null) {
            cookie.domain(config.domain());
        }
        return cookie;
    }
}
