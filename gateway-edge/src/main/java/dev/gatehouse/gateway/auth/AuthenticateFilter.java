package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.pipeline.GatewayAttributes;
import dev.gatehouse.gateway.pipeline.ManagementPort;
import dev.gatehouse.gateway.pipeline.PipelineOrder;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates requests to non-public routes with the route's authenticators, in the route's order: the first that
 * finds its credential decides. The principal goes to {@link GatewayAttributes#PRINCIPAL}; a refreshed session
 * cookie goes on the response. No credential on an authenticated route, or a bad one anywhere: 401.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class AuthenticateFilter implements HttpServerFilter {
    private final Map<GatewayRoute.AuthenticatorKind, Authenticator> authenticators =
            new EnumMap<>(GatewayRoute.AuthenticatorKind.class);
    private final ManagementPort management;

    public AuthenticateFilter(List<Authenticator> authenticators, ManagementPort management) {
        authenticators.forEach(a -> this.authenticators.put(a.kind(), a));
        this.management = management;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (management.carries(request)) {
            return chain.proceed(request);
        }
        GatewayRoute route = request.getAttribute(GatewayAttributes.ROUTE, RouteMatch.class)
                .map(RouteMatch::route).orElse(null);
        if (route == null || route.access() == GatewayRoute.Access.PUBLIC) {
            return chain.proceed(request);
        }
        return Mono.fromCompletionStage(authenticate(route.authenticators(), 0, request))
                .flatMap(result -> switch (result) {
                    case AuthResult.Authenticated ok -> {
                        request.setAttribute(GatewayAttributes.PRINCIPAL, ok.principal());
                        yield Mono.from(chain.proceed(request)).map(response -> {
                            ok.setCookies().forEach(response::cookie);
                            return response;
                        });
                    }
                    case AuthResult.NoCredential none -> route.requiresAuthentication()
                            ? Mono.error(GatewayAuthException.missing(route))
                            : Mono.from(chain.proceed(request));
                    case AuthResult.Rejected rejected ->
                            Mono.error(GatewayAuthException.invalid(route, rejected.reason(), rejected.clearCookies()));
                    case AuthResult.Unavailable unavailable ->
                            Mono.error(new ProblemException(ProblemType.SERVICE_UNAVAILABLE, unavailable.reason()));
                });
    }

    private CompletionStage<AuthResult> authenticate(List<GatewayRoute.AuthenticatorKind> kinds, int index,
                                                     HttpRequest<?> request) {
        if (index >= kinds.size()) {
            return CompletableFuture.completedFuture(AuthResult.NO_CREDENTIAL);
        }
        Authenticator authenticator = authenticators.get(kinds.get(index));
        if (authenticator == null) {
            return authenticate(kinds, index + 1, request);
        }
        return authenticator.authenticate(request).thenCompose(result -> result instanceof AuthResult.NoCredential
                ? authenticate(kinds, index + 1, request) : CompletableFuture.completedFuture(result));
    }

    @Override
    public int getOrder() {
        return PipelineOrder.AUTHENTICATE;
    }
}
