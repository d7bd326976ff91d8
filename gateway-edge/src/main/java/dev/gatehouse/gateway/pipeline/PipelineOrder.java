package dev.gatehouse.gateway.pipeline;

import io.micronaut.http.filter.ServerFilterPhase;

/**
 * The order of the gateway's server filters, Oathkeeper-style: route → authenticate → authorize → post-authorize
 * (rate limits) → proxy. A lower number runs first (outermost). The gaps leave room for filters in between, such as a
 * CORS preflight answered between {@link #ROUTE} and {@link #AUTHENTICATE}.
 */
public final class PipelineOrder {
    /** Finds the route of the request and stores it under {@link GatewayAttributes#ROUTE}; 404 when none matches. */
    public static final int ROUTE = ServerFilterPhase.SECURITY.order() - 500;
    /** Turns the route's accepted credentials into a {@link GatewayAttributes#PRINCIPAL}; 401 when required and absent. */
    public static final int AUTHENTICATE = ServerFilterPhase.SECURITY.order();
    /** Checks the route's permissions, role, organization scope and admin flag against the principal; 403. */
    public static final int AUTHORIZE = ServerFilterPhase.SECURITY.order() + 100;
    /** After the caller is known and allowed: rate limits (per API key, group, user, client IP). */
    public static final int POST_AUTHORIZE = ServerFilterPhase.SECURITY.order() + 200;
    /** Last: {@code ProxyFilter} sends the request to the route's upstream. */
    public static final int PROXY = ServerFilterPhase.RENDERING.after();

    private PipelineOrder() {
    }
}
