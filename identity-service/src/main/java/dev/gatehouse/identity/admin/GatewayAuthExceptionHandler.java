package dev.gatehouse.identity.admin;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Seed 001's error shape: {@code {"success": false, "error": "..."}}; 401s carry {@code WWW-Authenticate}. */
@Singleton
public class GatewayAuthExceptionHandler implements ExceptionHandler<GatewayAuthException, HttpResponse<?>> {
    @Override
    public HttpResponse<?> handle(HttpRequest request, GatewayAuthException exception) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", exception.getMessage());
        MutableHttpResponse<Map<String, Object>> response = HttpResponse.<Map<String, Object>>status(
                HttpStatus.valueOf(exception.status())).body(body).header("Cache-Control", "no-store");
        if (exception.status() == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        if (exception.retryAfter() != null) {
            response.header("Retry-After", String.valueOf(Math.max(1, (exception.retryAfter().toMillis() + 999)
                    / 1000)));
        }
        return response;
    }
}
