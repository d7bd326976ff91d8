package dev.gatehouse.gateway.proxy;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.pipeline.GatewayAttributes;
import dev.gatehouse.gateway.upstream.IdentityHeaders;
import dev.gatehouse.gateway.pipeline.ManagementPort;
import dev.gatehouse.gateway.pipeline.PipelineOrder;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.gateway.route.RouteTable;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.kit.http.RequestIdFilter;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.client.ProxyHttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.server.HttpServerConfiguration;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

/**
 * Proxies every request that arrives on the public port to the upstream its path routes to, streaming both bodies.
 * A public request that no route matches gets the kit's 404 problem+json. Requests on the management port
 * ({@code endpoints.all.port}) go on to the local endpoints: health, prometheus, {@code /openapi.yml}.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class ProxyFilter implements HttpServerFilter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyFilter.class);

    private final ProxyHttpClient client;
    private final long maxRequestSize;
    private final ManagementPort management;
    private final IdentityHeaders identity;
    private final UpstreamBalancer balancer = new UpstreamBalancer();

    public ProxyFilter(@Client(configuration = UpstreamClientConfiguration.class) ProxyHttpClient client,
                       HttpServerConfiguration server,
                       ManagementPort management,
                       IdentityHeaders identity) {
        this.identity = identity;
        this.client = client;
        this.maxRequestSize = server.getMaxRequestSize();
        this.management = management;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (management.carries(request)) {
            return chain.proceed(request);
        }
        String path = request.getUri().getRawPath();
        GatewayRoute route = request.getAttribute(GatewayAttributes.ROUTE, RouteMatch.class)
                .map(RouteMatch::route)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No route for this path"));
        // Netty streams the body to us, so a declared oversize body is refused before anything reaches the upstream.
        if (request.getContentLength() > maxRequestSize) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body exceeds " + maxRequestSize + " bytes");
        }
        GatewayPrincipal principal = request.getAttribute(GatewayAttributes.PRINCIPAL, GatewayPrincipal.class)
                .orElse(null);
        String requestId = RequestIdFilter.requestId(request);
        long started = System.nanoTime();
        int retries = retryable(request) ? Math.min(route.retries(), route.upstreams().size() * 2) : 0;
        return attempt(request, principal, route, path, retries)
                .<MutableHttpResponse<?>>map(response -> {
                    dropHopByHop(response);
                    log(requestId, request, route, response.code(), started);
                    return response;
                })
                .onErrorMap(e -> !(e instanceof ProblemException), e -> upstreamFailure(requestId, route, e));
    }

    /** One try on the next instance; a connection failure of a retryable request tries the next one. */
    private Mono<MutableHttpResponse<?>> attempt(HttpRequest<?> request, GatewayPrincipal principal,
                                                 GatewayRoute route, String path, int retriesLeft) {
        MutableHttpRequest<?> upstreamRequest = request.mutate()
                .uri(RouteTable.target(balancer.next(route), path, request.getUri().getRawQuery()));
        ForwardedHeaders.rewrite(request, upstreamRequest.getHeaders());
        identity.apply(principal, route.upstream(), upstreamRequest.getHeaders());
        Mono<MutableHttpResponse<?>> call = Mono.from(client.proxy(upstreamRequest))
                .timeout(route.timeout(), Mono.error(() -> ReadTimeoutException.TIMEOUT_EXCEPTION));
        if (retriesLeft <= 0) {
            return call;
        }
        return call.onErrorResume(ProxyFilter::connectFailure,
                e -> attempt(request, principal, route, path, retriesLeft - 1));
    }

    /** Idempotent (RFC 9110 §9.2.2) and without a body to replay. */
    private static boolean retryable(HttpRequest<?> request) {
        boolean idempotent = switch (request.getMethod()) {
            case GET, HEAD, OPTIONS, PUT, DELETE, TRACE -> true;
            default -> false;
        };
        return idempotent && request.getContentLength() <= 0
                && !request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /** The upstream was not reached (connection refused or reset before an answer); not a timeout. */
    private static boolean connectFailure(Throwable e) {
        return e instanceof HttpClientException && !(e instanceof ReadTimeoutException)
                && !(e instanceof io.micronaut.http.client.exceptions.HttpClientResponseException);
    }

    private static void dropHopByHop(MutableHttpResponse<?> response) {
        response.getHeaders().remove(HttpHeaders.CONNECTION);
        response.getHeaders().remove("Keep-Alive");
        response.getHeaders().remove("Proxy-Connection");
    }

    private static ProblemException upstreamFailure(String requestId, GatewayRoute route, Throwable e) {
        boolean timedOut = e instanceof ReadTimeoutException;
        try (var ignored = MDC.putCloseable(RequestIdFilter.MDC_KEY, requestId)) {
            LOG.warn("upstream {} {}: {}", route.upstream(), timedOut ? "timed out" : "failed",
                    e instanceof HttpClientException ? e.getMessage() : e.getClass().getSimpleName());
        }
        return timedOut
                ? new ProblemException(ProblemType.UPSTREAM_TIMEOUT, "The " + route.upstream() + " service did not answer in time")
                : new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE, "The " + route.upstream() + " service is unavailable");
    }

    /** The route's prefix, not the path: paths can carry tokens, which never go to the logs. */
    private static void log(String requestId, HttpRequest<?> request, GatewayRoute route, int status, long started) {
        if (LOG.isInfoEnabled()) {
            try (var ignored = MDC.putCloseable(RequestIdFilter.MDC_KEY, requestId)) {
                LOG.info("{} {}* -> {} {} {}ms", request.getMethodName(), (route.prefix() != null ? route.prefix() : route.pattern()), route.upstream(), status,
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    @Override
    public int getOrder() {
        // Last: whatever guards requests (authentication, later) runs before they leave for an upstream.
        return PipelineOrder.PROXY;
    }
}
