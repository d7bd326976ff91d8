package dev.gatehouse.identity.pages;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The headers of every hosted page and asset. The content security policy allows nothing but this host's own
 * stylesheets and images (and https logos): no script at all, no inline style, no frames, no plugins, forms only to
 * this host. Pages are never cached and never framed, and send no referrer (their URLs carry login challenges and
 * user codes).
 */
@ServerFilter(patterns = {"/login", "/login/**", "/signup", "/signup/**", "/device", "/device/**"})
public class PageHeadersFilter {
    public static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' https:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ResponseFilter
    public void headers(MutableHttpResponse<?> response) {
        var headers = response.getHeaders();
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        if (!headers.contains(HttpHeaders.CACHE_CONTROL)) {
            headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
