package dev.gatehouse.gateway.route;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where gateway-edge sends each request, under {@code gatehouse.gateway}. Checked when the context starts: a bad
 * table fails startup with a message naming the key.
 *
 * @param upstreams      base URI of each service by name; {@code identity}, {@code session} and {@code tenant} are
 *                       required (env {@code GATEHOUSE_GATEWAY_UPSTREAMS_IDENTITY}, ...)
 * @param connectTimeout how long to wait for a TCP connection to an upstream
 * @param readTimeout    how long to wait for an upstream's response headers before answering 504
 * @param routes         path prefix to upstream name; the longest matching prefix wins
 */
@Context
@ConfigurationProperties(GatewayRoutesConfig.PREFIX)
public record GatewayRoutesConfig(
        Map<String, URI> upstreams,
        @Bindable(defaultValue = DEFAULT_CONNECT_TIMEOUT) @NotNull Duration connectTimeout,
        @Bindable(defaultValue = DEFAULT_READ_TIMEOUT) @NotNull Duration readTimeout,
        List<Route> routes) {

    public static final String PREFIX = "gatehouse.gateway";
    public static final String DEFAULT_CONNECT_TIMEOUT = "2s";
    public static final String DEFAULT_READ_TIMEOUT = "30s";
    /** The services every deployment routes to. */
    public static final List<String> REQUIRED_UPSTREAMS = List.of("identity", "session", "tenant");

    /**
     * One row of the route table.
     *
     * @param prefix   path prefix, starting with {@code /}; without a trailing {@code /} it also matches the path
     *                 itself and anything below {@code prefix + "/"}
     * @param upstream name of an entry of {@code upstreams}
     */
    @Serdeable
    public record Route(String prefix, String upstream) {
    }

    public GatewayRoutesConfig {
        upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
        routes = routes == null ? List.of() : List.copyOf(routes);
        for (String name : REQUIRED_UPSTREAMS) {
            if (!upstreams.containsKey(name)) {
                throw invalid("upstreams." + name, "required (the base URI of the " + name + " service)");
            }
        }
        upstreams.forEach((name, uri) -> checkUpstream("upstreams." + name, uri));
        checkPositive("connect-timeout", connectTimeout);
        checkPositive("read-timeout", readTimeout);
        checkRoutes(upstreams, routes);
    }

    private static void checkUpstream(String key, URI uri) {
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw invalid(key, "must be an absolute http(s) URI, was '" + uri + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw invalid(key, "must not have a query, fragment or user info");
        }
    }

    private static void checkPositive(String key, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw invalid(key, "must be a positive duration");
        }
    }

    private static void checkRoutes(Map<String, URI> upstreams, List<Route> routes) {
        if (routes.isEmpty()) {
            throw invalid("routes", "must not be empty");
        }
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            String key = "routes[" + i + "]";
            if (route == null || route.prefix() == null || !route.prefix().startsWith("/")) {
                throw invalid(key + ".prefix", "must start with '/'");
            }
            if (!prefixes.add(route.prefix())) {
                throw invalid(key + ".prefix", "duplicate prefix '" + route.prefix() + "'");
            }
            if (route.upstream() == null || !upstreams.containsKey(route.upstream())) {
                throw invalid(key + ".upstream", "no upstream named '" + route.upstream() + "'");
            }
        }
    }

    private static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(PREFIX + "." + key + ": " + problem);
    }
}
