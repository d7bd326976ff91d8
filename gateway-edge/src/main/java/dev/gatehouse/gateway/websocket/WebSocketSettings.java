package dev.gatehouse.gateway.websocket;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.serde.annotation.Serdeable;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * WebSocket proxying, under {@code gatehouse.gateway.websocket}: which routes accept upgrades and from which browser
 * origins. A route not listed here never upgrades (the request goes through the HTTP pipeline like any other).
 *
 * @param routes              the routes (by {@code id} of {@code gatehouse.gateway.routes}) that proxy WebSockets
 * @param maxFrameSize        largest frame payload relayed, in bytes; a bigger frame closes the connection with 1009
 * @param connectTimeout      how long to wait for the TCP connection to the upstream before answering 504
 * @param closeTimeout        how long a closing side may take to answer a close frame before the connection drops
 * @param revocationInterval  how often an open connection's credential is checked against the revocation list
 */
@ConfigurationProperties(WebSocketSettings.PREFIX)
public record WebSocketSettings(
        List<Route> routes,
        @Bindable(defaultValue = DEFAULT_MAX_FRAME_SIZE) int maxFrameSize,
        @Bindable(defaultValue = DEFAULT_CONNECT_TIMEOUT) Duration connectTimeout,
        @Bindable(defaultValue = DEFAULT_CLOSE_TIMEOUT) Duration closeTimeout,
        @Bindable(defaultValue = DEFAULT_REVOCATION_INTERVAL) Duration revocationInterval) {

    public static final String PREFIX = "gatehouse.gateway.websocket";
    /** 4 MiB. */
    public static final String DEFAULT_MAX_FRAME_SIZE = "4194304";
    public static final String DEFAULT_CONNECT_TIMEOUT = "2s";
    public static final String DEFAULT_CLOSE_TIMEOUT = "10s";
    public static final String DEFAULT_REVOCATION_INTERVAL = "1s";

    /**
     * One WebSocket route.
     *
     * @param route          the {@code id} of a route of {@code gatehouse.gateway.routes}
     * @param allowedOrigins origins ({@code https://app.example.com}, scheme, host and port exactly) whose pages may
     *                       open this WebSocket with the session cookie; a cookie-authenticated upgrade from any other
     *                       origin, or without {@code Origin}, is refused with 403 (cross-site WebSocket hijacking).
     *                       Upgrades authenticated by a token in {@code Sec-WebSocket-Protocol} are not limited.
     */
    @Serdeable
    public record Route(String route, List<String> allowedOrigins) {
        public Route {
            allowedOrigins = allowedOrigins == null ? List.of()
                    : allowedOrigins.stream().map(o -> o.strip().toLowerCase(Locale.ROOT)).toList();
        }

        /** Whether a page of {@code origin} (the request's {@code Origin} header) may use the cookie. */
        public boolean allows(String origin) {
            return origin != null && allowedOrigins.contains(origin.strip().toLowerCase(Locale.ROOT));
        }
    }

    public WebSocketSettings {
        routes = routes == null ? List.of() : List.copyOf(routes);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            String key = "routes[" + i + "]";
            if (route == null || route.route() == null || route.route().isBlank()) {
                throw invalid(key + ".route", "required (the id of a gateway route)");
            }
            if (!ids.add(route.route())) {
                throw invalid(key + ".route", "duplicate route '" + route.route() + "'");
            }
            for (String origin : route.allowedOrigins()) {
                checkOrigin(key + ".allowed-origins", origin);
            }
        }
        if (maxFrameSize < 125 || maxFrameSize > 64 * 1024 * 1024) {
            throw invalid("max-frame-size", "must be between 125 and 67108864 bytes");
        }
        checkPositive("connect-timeout", connectTimeout);
        checkPositive("close-timeout", closeTimeout);
        checkPositive("revocation-interval", revocationInterval);
    }

    private static void checkOrigin(String key, String origin) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            throw invalid(key, "'" + origin + "' is not an origin");
        }
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null || !bare) {
            throw invalid(key, "'" + origin + "' must be scheme://host[:port], as browsers send it in Origin");
        }
    }

    private static void checkPositive(String key, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw invalid(key, "must be a positive duration");
        }
    }

    private static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(PREFIX + "." + key + ": " + problem);
    }
}
