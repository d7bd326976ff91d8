package dev.gatehouse.identity.upstream;

import dev.gatehouse.identity.signin.CookieConfig;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The cookie binding a started upstream sign-in to the browser that started it: 256 random bits, HttpOnly,
 * SameSite=Lax, Path=/auth, Secure unless {@code gatehouse.identity.cookie.secure=false} (dev), as long as a state
 * lives. Only its SHA-256 is stored with the state.
 */
@Singleton
public class BindingCookie {
    /** Set on the request by discovery when it started an SSO sign-in; the filter turns it into the cookie. */
    static final String ATTRIBUTE = "gatehouse.upstream.binding";
    private final UpstreamConfig config;
    private final CookieConfig cookies;

    public BindingCookie(UpstreamConfig config, CookieConfig cookies) {
        this.config = config;
        this.cookies = cookies;
    }

    public Cookie cookie(String value) {
        return Cookie.of(config.bindingCookie(), value).httpOnly(true).secure(cookies.secure())
                .sameSite(SameSite.Lax).path("/auth").maxAge(config.stateTtl());
    }

    public Optional<String> read(HttpRequest<?> request) {
        return request.getCookies().findCookie(config.bindingCookie()).map(Cookie::getValue);
    }
}
