package dev.gatehouse.identity.pages;

import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsrfTest {
    private final byte[] key = new byte[32];
    private final Csrf csrf = new Csrf(key, new PageCookies(true));

    @Test
    void aNewBrowserGetsASecureHttpOnlyLaxCookieAndATokenThatIsNotTheCookie() {
        Csrf.Binding binding = csrf.binding((String) null);
        Cookie cookie = binding.newCookie();
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).contains(SameSite.Lax);
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.getValue()).hasSize(43).isNotEqualTo(binding.token());
        assertThat(csrf.binding(cookie.getValue()).newCookie()).isNull();
        assertThat(csrf.binding(cookie.getValue()).token()).isEqualTo(binding.token());
        // a malformed cookie is replaced
        assertThat(csrf.binding("not-a-binding").newCookie()).isNotNull();
    }

    @Test
    void theTokenOfTheBrowsersCookieIsAccepted() {
        String cookie = csrf.binding((String) null).cookieValue();
        csrf.verify(null, cookie, Map.of(Csrf.FIELD, csrf.binding(cookie).token()));
        csrf.verify("same-origin", cookie, Map.of(Csrf.FIELD, csrf.binding(cookie).token()));
    }

    @Test
    void missingWrongForeignForgedAndCrossSiteSubmissionsAreRefusedWith403() {
        String cookie = csrf.binding((String) null).cookieValue();
        String token = csrf.binding(cookie).token();
        String othersToken = csrf.binding(csrf.binding((String) null).cookieValue()).token();
        byte[] anotherKey = Arrays.copyOf(key, 32);
        anotherKey[0] = 1;
        String forged = new Csrf(anotherKey, new PageCookies(true)).binding(cookie).token();

        assertRefused(null, cookie, Map.of());
        assertRefused(null, null, Map.of(Csrf.FIELD, token));
        assertRefused(null, cookie, Map.of(Csrf.FIELD, othersToken));
        assertRefused(null, cookie, Map.of(Csrf.FIELD, forged));
        assertRefused(null, cookie, Map.of(Csrf.FIELD, token + "x"));
        assertRefused(null, cookie, Map.of(Csrf.FIELD, cookie));
        assertRefused(null, "short", Map.of(Csrf.FIELD, token));
        assertRefused("cross-site", cookie, Map.of(Csrf.FIELD, token));
    }

    private void assertRefused(String site, String cookie, Map<String, String> form) {
        assertThatThrownBy(() -> csrf.verify(site, cookie, form)).isInstanceOfSatisfying(PageException.class,
                e -> assertThat(e.status().getCode()).isEqualTo(403));
    }
}
