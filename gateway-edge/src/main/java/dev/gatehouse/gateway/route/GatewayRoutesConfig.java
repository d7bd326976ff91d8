package dev.gatehouse.gateway.route;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where gateway-edge sends each request, under {@code gatehouse.gateway}. Checked when the context starts: a bad
 * table fails startup with a message naming the key.
 *
 * @param upstreams      base URIs of each service's instances by name (several, comma-separated, are used
 *                       round-robin); {@code identity}, {@code session} and {@code tenant} are
 *                       required (env {@code GATEHOUSE_GATEWAY_UPSTREAMS_IDENTITY}, ...)
 * @param connectTimeout how long to wait for a TCP connection to an upstream
 * @param readTimeout    how long to wait for an upstream's response headers before answering 504
 * @param routes         path prefix to upstream name; the longest matching prefix wins
 */
@Context
@ConfigurationProperties(GatewayRoutesConfig.PREFIX)
public record GatewayRoutesConfig(
        Map<String, List<URI>> upstreams,
        @Bindable(defaultValue = DEFAULT_CONNECT_TIMEOUT) @NotNull Duration connectTimeout,
        @Bindable(defaultValue = DEFAULT_READ_TIMEOUT) @NotNull Duration readTimeout,
        List<Route> routes) {

    public static final String PREFIX = "gatehouse.gateway";
    public static final String DEFAULT_CONNECT_TIMEOUT = "2s";
    public static final String DEFAULT_READ_TIMEOUT = "30s";
    /** The services every deployment routes to. */
    public static final List<String> REQUIRED_UPSTREAMS = List.of("identity", "session", "tenant");

    /**
     * One row of the route table, as configured. Only {@code prefix} (or {@code pattern}) and {@code upstream} (or
     * {@code urls}) are required; everything else has a default. See docs/gateway.md for the reference.
     *
     * @param id             unique name for logs; defaults to the prefix or pattern
     * @param hosts          Host names the route matches ({@code *.example.com} for subdomains); default any
     * @param prefix         path prefix, starting with {@code /}; without a trailing {@code /} it also matches the path
     *                       itself and anything below {@code prefix + "/"}
     * @param pattern        instead of a prefix: {@code /api/v1/organizations/{org}/**}
     * @param methods        HTTP methods the route matches; default any
     * @param upstream       name of an entry of {@code upstreams}
     * @param urls           instead of {@code upstream}: the base URIs of the instances, used round-robin
     * @param timeout        how long the upstream may take to answer; default {@code read-timeout}
     * @param retries        retries on another instance after a connection failure, idempotent methods only;
     *                       default 0
     * @param access         {@code public} (default: the service authenticates itself), {@code optional} or
     *                       {@code authenticated}
     * @param authenticators credentials accepted, in order: {@code bearer}, {@code cookie}, {@code api-key}; default
     *                       all three
     * @param permissions    permission names the principal must all hold
     * @param role           minimum role: {@code viewer}, {@code operator} or {@code admin}
     * @param organization   name of the pattern variable holding an organization id the principal must belong to
     * @param admin          an admin route: API keys are refused
     * @param errors         {@code problem} (default), {@code success-false} (seed 001) or {@code redirect}
     * @param loginUrl       where {@code redirect} sends browsers
     * @param rateLimit      rate-limit policy name
     * @param cors           CORS policy name
     */
    @Serdeable
    public record Route(String id, List<String> hosts, String prefix, String pattern, List<String> methods,
                        String upstream, List<URI> urls, Duration timeout, Integer retries, String access,
                        List<String> authenticators, List<String> permissions, String role, String organization,
                        Boolean admin, String errors, String loginUrl, String rateLimit, String cors) {
        /** A public prefix route to a named upstream (the form of the default table). */
        public Route(String prefix, String upstream) {
            this(null, null, prefix, null, null, upstream, null, null, null, null, null, null, null, null, null, null,
                    null, null, null);
        }
    }

    public GatewayRoutesConfig {
        upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
        routes = routes == null ? List.of() : List.copyOf(routes);
        for (String name : REQUIRED_UPSTREAMS) {
            if (!upstreams.containsKey(name)) {
                throw invalid("upstreams." + name, "required (the base URI of the " + name + " service)");
            }
        }
        upstreams.forEach((name, uris) -> {
            if (uris == null || uris.isEmpty()) {
                throw invalid("upstreams." + name, "must list at least one URI");
            }
            uris.forEach(uri -> checkUpstream("upstreams." + name, uri));
        });
        checkPositive("connect-timeout", connectTimeout);
        checkPositive("read-timeout", readTimeout);
        resolve(upstreams, readTimeout, routes);
    }

    /** The routes, resolved and validated. */
    public List<GatewayRoute> gatewayRoutes() {
        return resolve(upstreams, readTimeout, routes);
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

    private static List<GatewayRoute> resolve(Map<String, List<URI>> upstreams, Duration readTimeout,
                                              List<Route> routes) {
        if (routes.isEmpty()) {
            throw invalid("routes", "must not be empty");
        }
        Set<String> paths = new HashSet<>();
        Set<String> ids = new HashSet<>();
        var resolved = new ArrayList<GatewayRoute>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            String key = "routes[" + i + "]";
            if (route == null) {
                throw invalid(key, "must not be empty");
            }
            GatewayRoute r = resolve(key, route, upstreams, readTimeout);
            String matchKey = r.hosts() + " " + r.methods() + " " + (r.prefix() != null ? r.prefix() : r.pattern());
            if (!paths.add(matchKey)) {
                throw invalid(key + (r.prefix() != null ? ".prefix" : ".pattern"),
                        "duplicate " + (r.prefix() != null ? "prefix '" + r.prefix() : "pattern '" + r.pattern()) + "'");
            }
            if (!ids.add(r.id())) {
                throw invalid(key + ".id", "duplicate id '" + r.id() + "'");
            }
            resolved.add(r);
        }
        return List.copyOf(resolved);
    }

    private static GatewayRoute resolve(String key, Route route, Map<String, List<URI>> upstreams,
                                        Duration readTimeout) {
        if ((route.prefix() == null) == (route.pattern() == null)) {
            throw invalid(key + ".prefix", "set exactly one of prefix and pattern");
        }
        String path = route.prefix() != null ? route.prefix() : route.pattern();
        String pathKey = key + (route.prefix() != null ? ".prefix" : ".pattern");
        if (!path.startsWith("/")) {
            throw invalid(pathKey, "must start with '/'");
        }
        if (route.pattern() != null) {
            try {
                RouteTable.PathMatcher.pattern(route.pattern());
            } catch (IllegalArgumentException e) {
                throw invalid(pathKey, e.getMessage());
            }
        }
        List<URI> instances;
        String upstreamName;
        if (route.urls() != null && !route.urls().isEmpty()) {
            if (route.upstream() != null) {
                throw invalid(key + ".urls", "set either upstream or urls, not both");
            }
            route.urls().forEach(uri -> checkUpstream(key + ".urls", uri));
            instances = route.urls();
            upstreamName = route.urls().getFirst().getHost();
        } else {
            if (route.upstream() == null || !upstreams.containsKey(route.upstream())) {
                throw invalid(key + ".upstream", "no upstream named '" + route.upstream() + "'");
            }
            instances = upstreams.get(route.upstream());
            upstreamName = route.upstream();
        }
        Duration timeout = route.timeout() == null ? readTimeout : route.timeout();
        checkPositive(key + ".timeout", timeout);
        int retries = route.retries() == null ? 0 : route.retries();
        if (retries < 0 || retries > 5) {
            throw invalid(key + ".retries", "must be between 0 and 5");
        }
        var methods = new HashSet<String>();
        for (String method : route.methods() == null ? List.<String>of() : route.methods()) {
            if (method == null || !method.strip().matches("[A-Za-z]+")) {
                throw invalid(key + ".methods", "not an HTTP method: '" + method + "'");
            }
            methods.add(method.strip().toUpperCase(Locale.ROOT));
        }
        var hosts = new HashSet<String>();
        for (String host : route.hosts() == null ? List.<String>of() : route.hosts()) {
            if (host == null || host.isBlank() || host.contains("/") || host.contains(":")) {
                throw invalid(key + ".hosts", "not a host name: '" + host + "'");
            }
            hosts.add(host.strip().toLowerCase(Locale.ROOT));
        }
        GatewayRoute.Access access = parse(key + ".access", route.access(), GatewayRoute.Access.PUBLIC,
                GatewayRoute.Access::of, "public, optional or authenticated");
        var authenticators = new ArrayList<GatewayRoute.AuthenticatorKind>();
        if (route.authenticators() == null || route.authenticators().isEmpty()) {
            authenticators.addAll(List.of(GatewayRoute.AuthenticatorKind.values()));
        } else {
            for (String name : route.authenticators()) {
                var kind = parse(key + ".authenticators", name, null, GatewayRoute.AuthenticatorKind::of,
                        "bearer, cookie or api-key");
                if (!authenticators.contains(kind)) {
                    authenticators.add(kind);
                }
            }
        }
        GatewayRoute.Role role = parse(key + ".role", route.role(), null, GatewayRoute.Role::of,
                "viewer, operator or admin");
        GatewayRoute.ErrorStyle errors = parse(key + ".errors", route.errors(), GatewayRoute.ErrorStyle.PROBLEM,
                GatewayRoute.ErrorStyle::of, "problem, success-false or redirect");
        URI loginUrl = null;
        if (route.loginUrl() != null) {
            try {
                loginUrl = new URI(route.loginUrl());
            } catch (java.net.URISyntaxException e) {
                throw invalid(key + ".login-url", "not a URI: '" + route.loginUrl() + "'");
            }
        }
        if (errors == GatewayRoute.ErrorStyle.REDIRECT && loginUrl == null) {
            throw invalid(key + ".login-url", "required when errors is redirect");
        }
        boolean needsPrincipal = route.permissions() != null && !route.permissions().isEmpty() || role != null
                || route.organization() != null || Boolean.TRUE.equals(route.admin());
        if (needsPrincipal && access != GatewayRoute.Access.AUTHENTICATED) {
            throw invalid(key + ".access", "must be authenticated when permissions, role, organization or admin"
                    + " are set");
        }
        if (route.organization() != null && (route.pattern() == null
                || !route.pattern().contains("{" + route.organization() + "}"))) {
            throw invalid(key + ".organization", "must name a {variable} of the pattern");
        }
        return new GatewayRoute(route.id() == null ? path : route.id(), hosts, route.prefix(), route.pattern(),
                methods, upstreamName, instances, timeout, retries, access, authenticators,
                route.permissions() == null ? null : Set.copyOf(route.permissions()), role, route.organization(),
                Boolean.TRUE.equals(route.admin()), errors, loginUrl, route.rateLimit(), route.cors());
    }

    private static <T> T parse(String key, String value, T fallback, java.util.function.Function<String, T> parser,
                               String expected) {
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(key, "must be one of " + expected + ", was '" + value + "'");
        }
    }

    private static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(PREFIX + "." + key + ": " + problem);
    }
}
