package dev.gatehouse.gateway.authz;

import dev.gatehouse.gateway.auth.GatewayAuthException;
import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.pipeline.GatewayAttributes;
import dev.gatehouse.gateway.pipeline.ManagementPort;
import dev.gatehouse.gateway.pipeline.PipelineOrder;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import org.reactivestreams.Publisher;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Checks the route's rules against the principal: 403 when authenticated but not allowed. */
@Filter(Filter.MATCH_ALL_PATTERN)
public class AuthorizeFilter implements HttpServerFilter {
    private final ManagementPort management;

    public AuthorizeFilter(ManagementPort management) {
        this.management = management;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (!management.carries(request)) {
            request.getAttribute(GatewayAttributes.ROUTE, RouteMatch.class).ifPresent(match -> {
                GatewayPrincipal principal = request.getAttribute(GatewayAttributes.PRINCIPAL, GatewayPrincipal.class)
                        .orElse(null);
                denial(match, principal).ifPresent(reason -> {
                    throw GatewayAuthException.forbidden(match.route(), reason);
                });
            });
        }
        return chain.proceed(request);
    }

    /** Why {@code principal} may not use the matched route; empty when it may. */
    public static Optional<String> denial(RouteMatch match, GatewayPrincipal principal) {
        GatewayRoute route = match.route();
        if (route.access() != GatewayRoute.Access.AUTHENTICATED) {
            return Optional.empty();
        }
        if (principal == null) {
            return Optional.of("Authentication is required");
        }
        if (route.admin() && principal.kind() == GatewayPrincipal.Kind.API_KEY) {
            return Optional.of("API keys cannot perform admin operations");
        }
        for (String permission : route.permissions()) {
            if (!principal.permissions().contains(permission)) {
                return Optional.of("This needs the permission " + permission);
            }
        }
        if (route.role() != null && !holdsRole(principal, route.role())) {
            return Optional.of("This needs the " + route.role().wireName() + " role");
        }
        Optional<String> organization = match.organizationId();
        if (route.organizationVariable() != null && !principal.platformAdmin()) {
            String inPath = organization.map(AuthorizeFilter::decode).orElse(null);
            if (inPath == null || !inPath.equals(principal.organizationId())) {
                return Optional.of("The credential is not for this organization");
            }
        }
        return Optional.empty();
    }

    private static boolean holdsRole(GatewayPrincipal principal, GatewayRoute.Role required) {
        for (String name : principal.roles()) {
            try {
                if (GatewayRoute.Role.of(name).includes(required)) {
                    return true;
                }
            } catch (IllegalArgumentException customRole) {
                // a custom role of the organization: not part of the viewer < operator < admin hierarchy
            }
        }
        return false;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        return PipelineOrder.AUTHORIZE;
    }
}
