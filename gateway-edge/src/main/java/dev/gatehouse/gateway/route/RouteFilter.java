package dev.gatehouse.gateway.route;

import dev.gatehouse.gateway.pipeline.GatewayAttributes;
import dev.gatehouse.gateway.pipeline.ManagementPort;
import dev.gatehouse.gateway.pipeline.PipelineOrder;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import org.reactivestreams.Publisher;

/** First step of the pipeline: the route of a public request, stored under {@link GatewayAttributes#ROUTE}; or 404. */
@Filter(Filter.MATCH_ALL_PATTERN)
public class RouteFilter implements HttpServerFilter {
    private final RouteMatcher routes;
    private final ManagementPort management;

    public RouteFilter(RouteMatcher routes, ManagementPort management) {
        this.routes = routes;
        this.management = management;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (management.carries(request)) {
            return chain.proceed(request);
        }
        RouteMatch match = routes.match(request)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No route for this path"));
        request.setAttribute(GatewayAttributes.ROUTE, match);
        return chain.proceed(request);
    }

    @Override
    public int getOrder() {
        return PipelineOrder.ROUTE;
    }
}
