package dev.gatehouse.gateway.edge;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One named CORS policy, {@code gatehouse.gateway.cors.policies.<name>}, used by the routes that name it.
 *
 * @param name             the policy's name
 * @param allowedOrigins   exact origins ({@code https://app.example.com}, no path); {@code *} allows any origin but
 *                         never with credentials
 * @param allowedMethods   methods a cross-origin request may use
 * @param allowedHeaders   request headers it may send (beyond the CORS-safelisted ones); {@code *} for any, not with
 *                         credentials
 * @param exposedHeaders   response headers its script may read
 * @param allowCredentials whether cookies and {@code Authorization} may be sent (explicit origins only)
 * @param maxAge           how long a browser may cache a preflight answer
 */
@EachProperty(CorsPolicyConfig.PREFIX)
public record CorsPolicyConfig(@Parameter String name,
                               @Nullable List<String> allowedOrigins,
                               @Nullable List<String> allowedMethods,
                               @Nullable List<String> allowedHeaders,
                               @Nullable List<String> exposedHeaders,
                               @Bindable(defaultValue = "false") boolean allowCredentials,
                               @Bindable(defaultValue = "10m") Duration maxAge) {

    public static final String PREFIX = "gatehouse.gateway.cors.policies";
    static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");

    public CorsPolicyConfig {
        String key = PREFIX + "." + name + ".";
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        allowedMethods = allowedMethods == null || allowedMethods.isEmpty() ? DEFAULT_METHODS
                : allowedMethods.stream().map(m -> m.strip().toUpperCase(Locale.ROOT)).toList();
        allowedHeaders = allowedHeaders == null ? List.of()
                : allowedHeaders.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        exposedHeaders = exposedHeaders == null ? List.of() : List.copyOf(exposedHeaders);
        if (allowedOrigins.isEmpty()) {
            throw new ConfigurationException(key + "allowed-origins: name at least one origin");
        }
        for (String origin : allowedOrigins) {
            if (origin.equals("*")) {
                if (allowCredentials) {
                    throw new ConfigurationException(key + "allowed-origins: '*' is not allowed with "
                            + "allow-credentials: true (name the origins)");
                }
                continue;
            }
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(key + "allowed-origins: '" + origin + "' is not an origin");
            }
            if (uri.getScheme() == null || uri.getHost() == null || (uri.getRawPath() != null
                    && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                throw new ConfigurationException(key + "allowed-origins: '" + origin
                        + "' must be scheme://host[:port] without a path");
            }
        }
        if (allowCredentials && allowedHeaders.contains("*")) {
            throw new ConfigurationException(key + "allowed-headers: '*' is not allowed with allow-credentials: true");
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new ConfigurationException(key + "max-age: must not be negative");
        }
    }

    boolean allowsOrigin(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    boolean allowsMethod(String method) {
        return allowedMethods.contains(method.toUpperCase(Locale.ROOT));
    }

    /** Whether every header named in {@code Access-Control-Request-Headers} may be sent. */
    boolean allowsHeaders(@Nullable String requested) {
        if (requested == null || requested.isBlank() || allowedHeaders.contains("*")) {
            return true;
        }
        Set<String> allowed = Set.copyOf(allowedHeaders);
        return java.util.Arrays.stream(requested.split(","))
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .allMatch(allowed::contains);
    }

    String methods() {
        return String.join(", ", allowedMethods);
    }

    String headers() {
        return allowedHeaders.stream().collect(Collectors.joining(", "));
    }
}
