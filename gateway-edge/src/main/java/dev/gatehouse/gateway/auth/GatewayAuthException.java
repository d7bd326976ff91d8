package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.route.GatewayRoute;
import io.micronaut.http.cookie.Cookie;

import java.util.List;

/**
 * A request the pipeline refuses: 401 (no or bad credential), 403 (authenticated, not allowed) or 503 (a dependency of
 * authentication failed). Rendered by {@link GatewayErrorHandler} in the route's {@link GatewayRoute.ErrorStyle}.
 */
public class GatewayAuthException extends RuntimeException {
    private final int status;
    private final String challenge;
    private final GatewayRoute route;
    private final List<Cookie> cookies;

    public GatewayAuthException(int status, String detail, String challenge, GatewayRoute route,
                                List<Cookie> cookies) {
        super(detail, null, false, false);
        this.status = status;
        this.challenge = challenge;
        this.route = route;
        this.cookies = List.copyOf(cookies);
    }

    /** 401 without a credential: {@code WWW-Authenticate: Bearer}. */
    public static GatewayAuthException missing(GatewayRoute route) {
        return new GatewayAuthException(401, "Authentication is required", "Bearer", route, List.of());
    }

    /** 401 for a bad credential: {@code WWW-Authenticate: Bearer error="invalid_token"}. */
    public static GatewayAuthException invalid(GatewayRoute route, String detail, List<Cookie> clearCookies) {
        return new GatewayAuthException(401, detail, "Bearer error=\"invalid_token\"", route, clearCookies);
    }

    /** 403: the principal may not do this. */
    public static GatewayAuthException forbidden(GatewayRoute route, String detail) {
        return new GatewayAuthException(403, detail, null, route, List.of());
    }

    public int status() {
        return status;
    }

    public String challenge() {
        return challenge;
    }

    public GatewayRoute route() {
        return route;
    }

    public List<Cookie> cookies() {
        return cookies;
    }
}
