package dev.gatehouse.gateway.limit;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.edge.ClientAddress;
import dev.gatehouse.gateway.pipeline.GatewayAttributes;
import dev.gatehouse.gateway.pipeline.ManagementPort;
import dev.gatehouse.gateway.pipeline.PipelineOrder;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.kit.http.Problem;
import dev.gatehouse.kit.http.ProblemErrorResponseProcessor;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.kit.http.RequestIdFilter;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rate limits, after authorization (so the principal is known and refused callers cost no tokens): one token from
 * each bucket of the route's policy, {@code 429} with {@code Retry-After} when one is empty. Every limited answer,
 * allowed or not, carries the {@code RateLimit-Policy} and {@code RateLimit} headers of
 * draft-ietf-httpapi-ratelimit-headers ({@code RateLimit} names the bucket closest to empty). The 429 body follows
 * the route's error style: problem+json, or seed 001's {@code {"success":false,"error":...}}.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
@Requires(property = RateLimitConfig.PREFIX + ".enabled", notEquals = "false")
public class RateLimitFilter implements HttpServerFilter {
    static final String RATE_LIMIT = "RateLimit";
    static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

    private final RateLimiter limiter;
    private final RateLimitPolicies policies;
    private final ClientAddress clients;
    private final ManagementPort management;

    public RateLimitFilter(RateLimiter limiter, RateLimitPolicies policies, ClientAddress clients,
                           ManagementPort management) {
        this.limiter = limiter;
        this.policies = policies;
        this.clients = clients;
        this.management = management;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        RouteMatch match = management.carries(request) ? null
                : request.getAttribute(GatewayAttributes.ROUTE, RouteMatch.class).orElse(null);
        if (match == null) {
            return chain.proceed(request);
        }
        GatewayPrincipal principal = request.getAttribute(GatewayAttributes.PRINCIPAL, GatewayPrincipal.class)
                .orElse(null);
        List<RateLimiter.Limit> limits = policies.limits(match.route(), clients.clientIp(request), principal);
        if (limits.isEmpty()) {
            return chain.proceed(request);
        }
        return Mono.fromFuture(limiter.consume(limits)).flatMap(decision -> {
            if (!decision.allowed()) {
                return Mono.just(tooMany(request, match.route(), decision));
            }
            return Mono.from(chain.proceed(request)).map(response -> {
                response.getHeaders().set(RATE_LIMIT_POLICY, decision.rateLimitPolicy());
                response.getHeaders().set(RATE_LIMIT, decision.rateLimit());
                return response;
            });
        });
    }

    private static MutableHttpResponse<?> tooMany(HttpRequest<?> request, GatewayRoute route,
                                                 RateLimiter.Decision decision) {
        String detail = "Rate limit exceeded, retry in " + decision.retryAfterSeconds() + " s";
        MutableHttpResponse<?> response;
        if (route.errors() == GatewayRoute.ErrorStyle.SUCCESS_FALSE) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", false);
            body.put("error", detail);
            response = HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(body);
        } else {
            ProblemType type = ProblemType.TOO_MANY_REQUESTS;
            response = HttpResponse.status(type.status())
                    .contentType(ProblemErrorResponseProcessor.PROBLEM_JSON)
                    .body(new Problem(type.uri(), type.title(), type.status().getCode(), detail,
                            request.getPath(), RequestIdFilter.requestId(request), List.of()));
        }
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        response.getHeaders().set(RATE_LIMIT_POLICY, decision.rateLimitPolicy());
        response.getHeaders().set(RATE_LIMIT, decision.rateLimit());
        return response;
    }

    @Override
    public int getOrder() {
        return PipelineOrder.POST_AUTHORIZE;
    }
}
