package dev.gatehouse.gateway.pipeline;

/**
 * Names of the request attributes the pipeline filters share ({@code request.getAttribute(NAME, Type.class)}).
 */
public final class GatewayAttributes {
    /** The {@link dev.gatehouse.gateway.route.RouteMatch} of the request, set by the route filter. */
    public static final String ROUTE = "gatehouse.gateway.route";
    /**
     * The {@link dev.gatehouse.gateway.auth.GatewayPrincipal} of the request, set by the authenticate filter when a
     * credential was accepted; absent on public routes called without credentials.
     */
    public static final String PRINCIPAL = "gatehouse.gateway.principal";

    private GatewayAttributes() {
    }
}
