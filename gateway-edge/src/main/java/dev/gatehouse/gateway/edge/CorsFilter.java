package dev.gatehouse.gateway.edge;

import dev.gatehouse.gateway.pipeline.GatewayAttributes;
import dev.gatehouse.gateway.pipeline.ManagementPort;
import dev.gatehouse.gateway.pipeline.PipelineOrder;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.gateway.route.RouteTable;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * CORS per route, between routing and authentication: preflights ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) are answered here and never reach an upstream; 204 with the policy's headers
 * when origin, method and headers are allowed, 403 problem+json otherwise (also on routes without a policy). Actual
 * cross-origin requests go through; their answers (errors included) carry {@code Access-Control-Allow-Origin} only for
 * an allowed origin, echoed with {@code Vary: Origin}, and the upstream's own {@code Access-Control-*} headers are
 * replaced, so the gateway's policy is the only one.
 */
@Context
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorsFilter implements Ordered {
    private static final String ALLOWED = "gatehouse.gateway.cors.allowed";

    private final Map<String, CorsPolicyConfig> policies;
    private final CorsConfig config;
    private final ManagementPort management;

    public CorsFilter(Collection<CorsPolicyConfig> policies, CorsConfig config, RouteTable routes,
                      ManagementPort management) {
        this.policies = policies.stream().collect(Collectors.toUnmodifiableMap(CorsPolicyConfig::name,
                Function.identity()));
        this.config = config;
        this.management = management;
        for (GatewayRoute route : routes.routes()) {
            String name = policyName(route);
            if (name != null && !this.policies.containsKey(name)) {
                throw new ConfigurationException("gatehouse.gateway.routes (" + route.id() + ").cors: no policy '"
                        + name + "' under " + CorsPolicyConfig.PREFIX);
            }
        }
        config.routes().forEach((id, name) -> {
            if (!this.policies.containsKey(name)) {
                throw new ConfigurationException("gatehouse.gateway.cors.routes." + id + ": no policy '" + name
                        + "' under " + CorsPolicyConfig.PREFIX);
            }
        });
    }

    @Nullable
    private String policyName(GatewayRoute route) {
        return route.cors() != null && !route.cors().isBlank() ? route.cors() : config.routes().get(route.id());
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (origin == null || management.carries(request)) {
            return null;
        }
        RouteMatch match = request.getAttribute(GatewayAttributes.ROUTE, RouteMatch.class).orElse(null);
        String name = match == null ? null : policyName(match.route());
        CorsPolicyConfig policy = name == null ? null : policies.get(name);
        String requestedMethod = request.getHeaders().get(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        if (request.getMethod() == HttpMethod.OPTIONS && requestedMethod != null) {
            return preflight(request, origin, requestedMethod, policy);
        }
        if (policy != null && policy.allowsOrigin(origin)) {
            request.setAttribute(ALLOWED, policy);
        }
        return null;
    }

    private static HttpResponse<?> preflight(HttpRequest<?> request, String origin, String method,
                                             @Nullable CorsPolicyConfig policy) {
        if (policy == null) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This route does not allow cross-origin requests");
        }
        String requestedHeaders = String.join(",",
                request.getHeaders().getAll(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS));
        if (!policy.allowsOrigin(origin)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This origin may not call this route");
        }
        if (!policy.allowsMethod(method)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Cross-origin " + method.toUpperCase(Locale.ROOT) + " is not allowed on this route");
        }
        if (!policy.allowsHeaders(requestedHeaders)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "A requested header is not allowed on this route");
        }
        MutableHttpResponse<?> response = HttpResponse.noContent();
        MutableHttpHeaders headers = response.getHeaders();
        allowOrigin(headers, policy, origin);
        headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, policy.methods());
        if (!requestedHeaders.isBlank()) {
            // the allowed list, or (for '*') what was asked: '*' is a literal name to credentialed requests
            headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
                    policy.allowedHeaders().contains("*") ? requestedHeaders : policy.headers());
        }
        headers.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, Long.toString(policy.maxAge().toSeconds()));
        headers.add(HttpHeaders.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        return response;
    }

    @ResponseFilter
    public void decorate(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (request.getHeaders().get(HttpHeaders.ORIGIN) == null || management.carries(request)
                || response.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_MAX_AGE)) {
            return;
        }
        RouteMatch match = request.getAttribute(GatewayAttributes.ROUTE, RouteMatch.class).orElse(null);
        if (match == null || policyName(match.route()) == null) {
            return;
        }
        MutableHttpHeaders headers = response.getHeaders();
        for (String name : new ArrayList<>(headers.names())) {
            if (name.toLowerCase(Locale.ROOT).startsWith("access-control-")) {
                headers.remove(name);
            }
        }
        headers.add(HttpHeaders.VARY, "Origin");
        CorsPolicyConfig policy = request.getAttribute(ALLOWED, CorsPolicyConfig.class).orElse(null);
        if (policy == null) {
            return;
        }
        allowOrigin(headers, policy, request.getHeaders().get(HttpHeaders.ORIGIN));
        if (!policy.exposedHeaders().isEmpty()) {
            headers.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, String.join(", ", policy.exposedHeaders()));
        }
    }

    private static void allowOrigin(MutableHttpHeaders headers, CorsPolicyConfig policy, String origin) {
        headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if (policy.allowCredentials()) {
            headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    @Override
    public int getOrder() {
        // after the route is known, before any credential is asked for (preflights carry none)
        return PipelineOrder.ROUTE + 100;
    }
}
