package dev.gatehouse.identity.pages;

import io.micronaut.context.env.Environment;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Set;

/** The flags every cookie of the hosted pages gets: HttpOnly, Path=/, SameSite=Lax, Secure outside dev and test. */
@Singleton
public class PageCookies {
    private final boolean secure;

    PageCookies(boolean secure) {
        this.secure = secure;
    }

    @jakarta.inject.Inject
    public PageCookies(PagesConfig config, Environment environment) {
        Set<String> names = environment.getActiveNames();
        this.secure = config.secureCookies() != null ? config.secureCookies()
                : !(names.contains(Environment.DEVELOPMENT) || names.contains(Environment.TEST));
    }

    /** A browser-session cookie (no Max-Age). */
    public Cookie session(String name, String value) {
        return Cookie.of(name, value).httpOnly(true).secure(secure).path("/").sameSite(SameSite.Lax);
    }

    public Cookie lasting(String name, String value, Duration maxAge) {
        return session(name, value).maxAge(maxAge);
    }

    public Cookie expired(String name) {
        return session(name, "").maxAge(0);
    }

    public boolean secure() {
        return secure;
    }
}
