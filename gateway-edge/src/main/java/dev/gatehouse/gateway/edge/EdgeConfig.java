package dev.gatehouse.gateway.edge;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * The edge's own hardening, under {@code gatehouse.gateway.edge} (docs/gateway-limits.md).
 *
 * @param trustedProxies    addresses or CIDR blocks of proxies in front of the gateway (load balancers); only from
 *                          them are {@code X-Forwarded-For} and {@code X-Forwarded-Proto} believed
 * @param maxUrlLength      longest request target (path and query) answered; longer: 414
 * @param maxHeaderBytes    largest sum of header names and values; larger: 431
 * @param requestHeadTimeout the longest a client may take to send a request's line and headers once it started;
 *                          slower: 408 and the connection is closed (slowloris)
 * @param hstsMaxAge        {@code Strict-Transport-Security} max-age, sent only on requests that came over TLS
 * @param hstsIncludeSubdomains whether HSTS covers subdomains
 * @param frameAncestors    the CSP {@code frame-ancestors} sources ({@code 'none'} also sends
 *                          {@code X-Frame-Options: DENY}, {@code 'self'} {@code SAMEORIGIN})
 * @param referrerPolicy    the {@code Referrer-Policy} value
 */
@Context
@ConfigurationProperties(EdgeConfig.PREFIX)
public record EdgeConfig(
        @Nullable List<String> trustedProxies,
        @Bindable(defaultValue = "8192") int maxUrlLength,
        @Bindable(defaultValue = "16384") int maxHeaderBytes,
        @Bindable(defaultValue = "10s") Duration requestHeadTimeout,
        @Bindable(defaultValue = "365d") Duration hstsMaxAge,
        @Bindable(defaultValue = "true") boolean hstsIncludeSubdomains,
        @Bindable(defaultValue = "'none'") String frameAncestors,
        @Bindable(defaultValue = "no-referrer") String referrerPolicy) {

    public static final String PREFIX = "gatehouse.gateway.edge";

    public EdgeConfig {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        for (int i = 0; i < trustedProxies.size(); i++) {
            try {
                Cidr.parse(trustedProxies.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(PREFIX + ".trusted-proxies[" + i + "]: " + e.getMessage());
            }
        }
        if (maxUrlLength < 64) {
            throw new ConfigurationException(PREFIX + ".max-url-length: must be at least 64");
        }
        if (maxHeaderBytes < 1024) {
            throw new ConfigurationException(PREFIX + ".max-header-bytes: must be at least 1024");
        }
        if (requestHeadTimeout == null || requestHeadTimeout.isNegative() || requestHeadTimeout.isZero()) {
            throw new ConfigurationException(PREFIX + ".request-head-timeout: must be a positive duration");
        }
        if (hstsMaxAge == null || hstsMaxAge.isNegative()) {
            throw new ConfigurationException(PREFIX + ".hsts-max-age: must not be negative");
        }
    }
}
