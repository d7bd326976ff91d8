package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemExceptionHandler;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

/**
 * Renders {@link GatewayAuthException} in the route's style: problem+json (the kit's), seed 001's
 * {@code {"success":false,"error":"..."}}, or for browsers a redirect to the route's sign-in page.
 */
@Singleton
@Produces
@Requires(classes = ExceptionHandler.class)
public class GatewayErrorHandler implements ExceptionHandler<GatewayAuthException, HttpResponse<?>> {
    private final ProblemExceptionHandler problems;

    public GatewayErrorHandler(ProblemExceptionHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, GatewayAuthException e) {
        GatewayRoute.ErrorStyle style = e.route() == null ? GatewayRoute.ErrorStyle.PROBLEM : e.route().errors();
        MutableHttpResponse<?> response = switch (style) {
            case SUCCESS_FALSE -> successFalse(e);
            case REDIRECT -> e.status() == 401 && browserNavigation(request)
                    ? redirect(e.route().loginUrl(), request) : problem(request, e);
            case PROBLEM -> problem(request, e);
        };
        e.cookies().forEach(response::cookie);
        return response;
    }

    private MutableHttpResponse<?> problem(HttpRequest<?> request, GatewayAuthException e) {
        ProblemType type = ProblemType.forStatus(e.status());
        var exception = e.challenge() != null
                ? ProblemException.bearerChallenge(e.getMessage(), e.challenge().contains("invalid_token"))
                : new ProblemException(type, e.getMessage());
        HttpResponse<?> rendered = problems.handle(request, exception);
        return rendered instanceof MutableHttpResponse<?> mutable ? mutable
                : HttpResponse.status(rendered.status()).body(rendered.body());
    }

    private static MutableHttpResponse<?> successFalse(GatewayAuthException e) {
        var body = new LinkedHashMap<String, Object>();
        body.put("success", false);
        body.put("error", (e.status() == 401 ? "Unauthorized: " : e.status() == 403 ? "Forbidden: " : "")
                + e.getMessage());
        MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.valueOf(e.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
        if (e.challenge() != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, e.challenge());
        }
        return response;
    }

    /** A top-level page load: GET or HEAD asking for HTML. */
    private static boolean browserNavigation(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
            return false;
        }
        String accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("text/html");
    }

    private static MutableHttpResponse<?> redirect(URI loginUrl, HttpRequest<?> request) {
        String back = request.getUri().getRawPath()
                + (request.getUri().getRawQuery() == null ? "" : "?" + request.getUri().getRawQuery());
        String target = loginUrl + (loginUrl.getRawQuery() == null ? "?" : "&") + "return_to="
                + URLEncoder.encode(back, StandardCharsets.UTF_8);
        return HttpResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, target)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
