package dev.gatehouse.gateway.edge;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.Locale;

/**
 * Security headers on every answer of the gateway, proxied or its own (errors included):
 * {@code X-Content-Type-Options: nosniff}; {@code frame-ancestors} in the {@code Content-Security-Policy} (added to an
 * upstream's policy that has none) with the matching {@code X-Frame-Options}; {@code Referrer-Policy} unless the
 * upstream chose one; {@code Strict-Transport-Security} only when the request came over TLS, directly or through a
 * trusted proxy's {@code X-Forwarded-Proto} (HSTS over plain HTTP is ignored by browsers and would lock out dev).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SecurityHeadersFilter implements Ordered {
    private final EdgeConfig config;
    private final ClientAddress clients;
    private final String hsts;
    private final String frameOptions;

    public SecurityHeadersFilter(EdgeConfig config, ClientAddress clients) {
        this.config = config;
        this.clients = clients;
        this.hsts = "max-age=" + config.hstsMaxAge().toSeconds()
                + (config.hstsIncludeSubdomains() ? "; includeSubDomains" : "");
        String ancestors = config.frameAncestors().strip();
        this.frameOptions = ancestors.equals("'none'") ? "DENY" : ancestors.equals("'self'") ? "SAMEORIGIN" : null;
    }

    private static final String OVER_TLS = "gatehouse.gateway.edge.tls";

    /** Decided on the way in: the proxy rewrites the forwarded headers of the request before the answer comes back. */
    @RequestFilter
    public void note(HttpRequest<?> request) {
        request.setAttribute(OVER_TLS, clients.overTls(request));
    }

    @ResponseFilter
    public void secure(HttpRequest<?> request, MutableHttpResponse<?> response) {
        MutableHttpHeaders headers = response.getHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        String csp = headers.get("Content-Security-Policy");
        if (csp == null || csp.isBlank()) {
            headers.set("Content-Security-Policy", "frame-ancestors " + config.frameAncestors());
        } else if (!csp.toLowerCase(Locale.ROOT).contains("frame-ancestors")) {
            headers.set("Content-Security-Policy", csp.strip() + "; frame-ancestors " + config.frameAncestors());
        }
        if (frameOptions != null && !headers.contains("X-Frame-Options")) {
            headers.set("X-Frame-Options", frameOptions);
        }
        if (!headers.contains("Referrer-Policy")) {
            headers.set("Referrer-Policy", config.referrerPolicy());
        }
        if (request.getAttribute(OVER_TLS, Boolean.class).orElseGet(() -> clients.overTls(request))) {
            headers.set("Strict-Transport-Security", hsts);
        } else {
            // an upstream's HSTS on a plain-HTTP answer would be ignored at best
            headers.remove("Strict-Transport-Security");
        }
    }

    @Override
    public int getOrder() {
        // outermost on the way out: sees every answer, including the error renderers'
        return ServerFilterPhase.FIRST.before();
    }
}
