package dev.gatehouse.session.oauth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Renders {@link OAuthException}s in the RFC 6749 §5.2 shape. */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public class OAuthExceptionHandler implements ExceptionHandler<OAuthException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, OAuthException exception) {
        return render(exception);
    }

    static MutableHttpResponse<Map<String, String>> render(OAuthException exception) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", exception.error());
        if (exception.getMessage() != null) {
            body.put("error_description", exception.getMessage());
        }
        MutableHttpResponse<Map<String, String>> response = HttpResponse.<Map<String, String>>status(
                        io.micronaut.http.HttpStatus.valueOf(exception.status()))
                .body(body)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
        if ("invalid_client".equals(exception.error())) {
            response.header("WWW-Authenticate", "Basic realm=\"gatehouse\"");
        } else if ("invalid_token".equals(exception.error())) {
            response.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        return response;
    }
}
