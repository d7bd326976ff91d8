package dev.gatehouse.gateway.route;

import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds the upstream for a request path: longest matching prefix wins; {@code /internal/} is never routed. */
@Singleton
public class RouteTable {
    private static final String INTERNAL = "/internal";

    private final List<Entry> entries;

    /** A route with its upstream resolved. */
    public record Entry(String prefix, String upstream, URI base) {
        boolean matches(String path) {
            if (path.equals(prefix)) {
                return true;
            }
            return prefix.endsWith("/") ? path.startsWith(prefix) : path.startsWith(prefix + "/");
        }
    }

    public RouteTable(GatewayRoutesConfig config) {
        this.entries = config.routes().stream()
                .map(r -> new Entry(r.prefix(), r.upstream(), config.upstreams().get(r.upstream())))
                .sorted(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed())
                .toList();
    }

    /**
     * The route for {@code rawPath} (as sent, still percent-encoded), or empty when the gateway must answer 404.
     */
    public Optional<Entry> find(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/") || !routable(rawPath)) {
            return Optional.empty();
        }
        return entries.stream().filter(e -> e.matches(rawPath)).findFirst();
    }

    /** The absolute URI of the request at the upstream: base + original path + original query. */
    public static URI target(Entry entry, String rawPath, String rawQuery) {
        String base = entry.base().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + rawPath + (rawQuery == null ? "" : "?" + rawQuery));
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
}
