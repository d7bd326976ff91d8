package dev.gatehouse.gateway.route;

import io.micronaut.http.HttpRequest;

import java.util.Optional;

/** Finds the route of a request: host, method and path; the most specific match wins. */
public interface RouteMatcher {
    /** The route of {@code request}, or empty when the gateway must answer 404. */
    Optional<RouteMatch> match(HttpRequest<?> request);
}
