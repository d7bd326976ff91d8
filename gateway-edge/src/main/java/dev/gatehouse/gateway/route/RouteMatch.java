package dev.gatehouse.gateway.route;

import java.util.Map;
import java.util.Optional;

/**
 * The route a request matched, with the values of the pattern's {@code {name}} segments (still percent-encoded).
 * Stored under {@link dev.gatehouse.gateway.pipeline.GatewayAttributes#ROUTE}.
 */
public record RouteMatch(GatewayRoute route, Map<String, String> pathVariables) {
    public RouteMatch {
        pathVariables = Map.copyOf(pathVariables);
    }

    /** The organization id of the path, when the route names an organization variable and the path has it. */
    public Optional<String> organizationId() {
        return route.organizationVariable() == null ? Optional.empty()
                : Optional.ofNullable(pathVariables.get(route.organizationVariable()));
    }
}
