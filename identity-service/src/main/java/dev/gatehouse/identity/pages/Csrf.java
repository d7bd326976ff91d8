package dev.gatehouse.identity.pages;

import dev.gatehouse.identity.internal.crypto.SecretHasher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CSRF protection of every hosted form: a double-submit pre-session cookie bound to an HMAC token.
 *
 * <p>The first page a browser sees sets {@value #COOKIE} (256 random bits, HttpOnly, SameSite=Lax). Each form carries
 * {@value #FIELD} = base64url(HMAC-SHA256(key, "csrf|" + cookie)). A POST is accepted only when both are present and
 * the token matches the cookie (constant-time comparison). Another site can neither read the cookie nor compute the
 * token without the server's key, and a cookie it manages to plant (a sibling subdomain) comes without a matching
 * token. A request the browser marks {@code Sec-Fetch-Site: cross-site} is refused before anything else.
 */
@Singleton
public class Csrf {
    public static final String COOKIE = "gh_csrf";
    public static final String FIELD = "_csrf";
    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Csrf.class);
    private final SecretKeySpec key;
    private final PageCookies cookies;

    @jakarta.inject.Inject
    public Csrf(PagesConfig config, PageCookies cookies, SecretHasher hasher) {
        this(key(config, hasher), cookies);
    }

    Csrf(byte[] key, PageCookies cookies) {
        this.cookies = cookies;
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The configured key, else one derived from identity-service's hash key (the same on every replica). */
    private static byte[] key(PagesConfig config, SecretHasher hasher) {
        if (config.csrfKey() == null || config.csrfKey().isBlank()) {
            return hasher.hash("hosted-pages-csrf-key", "v1");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(config.csrfKey().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PagesConfig.PREFIX + ".csrf-key: must be base64");
        }
        if (raw.length < 32) {
            throw new IllegalArgumentException(PagesConfig.PREFIX + ".csrf-key: must be at least 32 bytes");
        }
        return raw;
    }

    /** This browser's CSRF binding: the existing cookie, or a new one to set with the response. */
    public Binding binding(HttpRequest<?> request) {
        return binding(request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null));
    }

    Binding binding(@Nullable String cookieValue) {
        if (cookieValue != null && COOKIE_VALUE.matcher(cookieValue).matches()) {
            return new Binding(cookieValue, token(cookieValue), null);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new Binding(value, token(value), cookies.session(COOKIE, value).sameSite(SameSite.Lax));
    }

    /**
     * Checks a submitted form; throws {@link PageException} 403 unless the token matches this browser's cookie.
     */
    public void verify(HttpRequest<?> request, Map<String, String> form) {
        verify(request.getHeaders().get("Sec-Fetch-Site"),
                request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null), form);
    }

    void verify(@Nullable String secFetchSite, @Nullable String cookie, Map<String, String> form) {
        if ("cross-site".equalsIgnoreCase(secFetchSite)) {
            throw refused("cross-site request");
        }
        String submitted = form == null ? null : form.get(FIELD);
        if (cookie == null || !COOKIE_VALUE.matcher(cookie).matches()) {
            throw refused("no CSRF cookie");
        }
        if (submitted == null) {
            throw refused("no CSRF token in the form");
        }
        byte[] expected = token(cookie).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, submitted.getBytes(StandardCharsets.US_ASCII))) {
            throw refused("CSRF token does not match the cookie");
        }
    }

    private static PageException refused(String reason) {
        LOG.info("form refused: {}", reason);
        return PageException.csrf();
    }

    private String token(String cookie) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("csrf|" + cookie).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param cookieValue the browser's binding
     * @param token       goes into the form's hidden {@value #FIELD} field
     * @param newCookie   to set with the response, or null when the browser already has one
     */
    public record Binding(String cookieValue, String token, @Nullable Cookie newCookie) {
    }
}
