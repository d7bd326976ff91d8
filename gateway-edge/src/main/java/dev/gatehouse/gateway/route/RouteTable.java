package dev.gatehouse.gateway.route;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's routes, matched on host, method and path: the most specific path wins (a longer prefix or pattern
 * literal part; a pattern before a prefix of the same length), then a route naming hosts or methods before one that
 * does not. {@code /internal/} and paths with dot segments are never routed.
 */
@Singleton
public class RouteTable implements RouteMatcher {
    private static final String INTERNAL = "/internal";

    private final List<Entry> entries;

    /** A route with its compiled path matcher. */
    public record Entry(GatewayRoute route, PathMatcher path) {
        /** The prefix (or pattern) of the route, for logs. */
        public String prefix() {
            return route.prefix() != null ? route.prefix() : route.pattern();
        }

        /** The upstream name. */
        public String upstream() {
            return route.upstream();
        }

        boolean matches(String host, String method) {
            return (route.methods().isEmpty() || route.methods().contains(method)) && hostMatches(host);
        }

        private boolean hostMatches(String host) {
            if (route.hosts().isEmpty()) {
                return true;
            }
            if (host == null) {
                return false;
            }
            for (String h : route.hosts()) {
                if (h.startsWith("*.") ? host.endsWith(h.substring(1)) : host.equals(h)) {
                    return true;
                }
            }
            return false;
        }

        private int specificity() {
            return path.literalLength() * 4 + (route.hosts().isEmpty() ? 0 : 2) + (route.methods().isEmpty() ? 0 : 1);
        }
    }

    public RouteTable(GatewayRoutesConfig config) {
        this(config.gatewayRoutes());
    }

    public RouteTable(List<GatewayRoute> routes) {
        var list = new ArrayList<Entry>();
        for (GatewayRoute route : routes) {
            list.add(new Entry(route, route.prefix() != null ? PathMatcher.prefix(route.prefix())
                    : PathMatcher.pattern(route.pattern())));
        }
        list.sort(Comparator.comparingInt(Entry::specificity).reversed());
        this.entries = List.copyOf(list);
    }

    /** Every route, most specific first. */
    public List<GatewayRoute> routes() {
        return entries.stream().map(Entry::route).toList();
    }

    @Override
    public Optional<RouteMatch> match(HttpRequest<?> request) {
        return match(hostOf(request.getHeaders().get(HttpHeaders.HOST)), request.getMethodName(),
                request.getUri().getRawPath());
    }

    /** The route for a request to {@code host} (lower case, no port; null when absent) with this method and path. */
    public Optional<RouteMatch> match(String host, String method, String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/") || !routable(rawPath)) {
            return Optional.empty();
        }
        String upperMethod = method == null ? "" : method.toUpperCase(Locale.ROOT);
        for (Entry entry : entries) {
            if (!entry.matches(host, upperMethod)) {
                continue;
            }
            Map<String, String> variables = entry.path().match(rawPath);
            if (variables != null) {
                return Optional.of(new RouteMatch(entry.route(), variables));
            }
        }
        return Optional.empty();
    }

    /** The route entry for {@code rawPath}, whatever the host and method; kept for path-only callers. */
    public Optional<Entry> find(String rawPath) {
        return match(null, null, rawPath).flatMap(m -> entries.stream().filter(e -> e.route() == m.route()).findFirst());
    }

    /** The absolute URI of the request at {@code base}: base + original path + original query. */
    public static URI target(URI base, String rawPath, String rawQuery) {
        String text = base.toString();
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + rawPath + (rawQuery == null ? "" : "?" + rawQuery));
    }

    static String hostOf(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /**
     * Upstreams may normalise dot segments or decode {@code %2F}, so a path that could resolve elsewhere than it
     * reads ({@code /api/v1/users/../../../internal/x}) is refused rather than forwarded.
     */
    private static boolean routable(String rawPath) {
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        if (decoded.equals(INTERNAL) || decoded.startsWith(INTERNAL + "/") || decoded.contains("\\")) {
            return false;
        }
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** A compiled path prefix or pattern. */
    public interface PathMatcher {
        /** The path variables when {@code rawPath} matches (empty for a prefix), otherwise null. */
        Map<String, String> match(String rawPath);

        /** Characters of literal path, for ordering by specificity. */
        int literalLength();

        /**
         * A prefix starting with {@code /}; without a trailing {@code /} it also matches the path itself and anything
         * below {@code prefix + "/"}.
         */
        static PathMatcher prefix(String prefix) {
            return new PathMatcher() {
                @Override
                public Map<String, String> match(String path) {
                    boolean matches = path.equals(prefix)
                            || (prefix.endsWith("/") ? path.startsWith(prefix) : path.startsWith(prefix + "/"));
                    return matches ? Map.of() : null;
                }

                @Override
                public int literalLength() {
                    return prefix.length();
                }
            };
        }

        /**
         * A pattern such as {@code /api/v1/organizations/{org}/members/**}: literal segments match exactly,
         * {@code {name}} matches one non-empty segment, a final {@code **} matches the rest (also nothing).
         */
        static PathMatcher pattern(String pattern) {
            List<String> segments = List.of(pattern.substring(1).split("/", -1));
            boolean rest = !segments.isEmpty() && segments.getLast().equals("**");
            List<String> fixed = rest ? segments.subList(0, segments.size() - 1) : segments;
            int literal = fixed.stream().mapToInt(s -> s.startsWith("{") ? 1 : s.length() + 1).sum() + 1;
            Set<String> names = new java.util.HashSet<>();
            for (String s : fixed) {
                if (s.equals("**") || s.contains("*")) {
                    throw new IllegalArgumentException("'**' is allowed only as the last segment");
                }
                if (s.startsWith("{")) {
                    if (!s.endsWith("}") || s.length() < 3 || !names.add(s.substring(1, s.length() - 1))) {
                        throw new IllegalArgumentException("bad or duplicate variable segment '" + s + "'");
                    }
                }
            }
            return new PathMatcher() {
                @Override
                public Map<String, String> match(String path) {
                    String[] parts = path.substring(1).split("/", -1);
                    if (rest ? parts.length < fixed.size() : parts.length != fixed.size()) {
                        return null;
                    }
                    Map<String, String> variables = new HashMap<>();
                    for (int i = 0; i < fixed.size(); i++) {
                        String want = fixed.get(i);
                        if (want.startsWith("{")) {
                            if (parts[i].isEmpty()) {
                                return null;
                            }
                            variables.put(want.substring(1, want.length() - 1), parts[i]);
                        } else if (!want.equals(parts[i])) {
                            return null;
                        }
                    }
                    return variables;
                }

                @Override
                public int literalLength() {
                    return literal;
                }
            };
        }
    }
}
