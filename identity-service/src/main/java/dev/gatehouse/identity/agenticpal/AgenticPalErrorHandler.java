package dev.gatehouse.identity.agenticpal;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

/** Seed 003's error body: {@code {"error": "invalid_state", "message": "..."}}, never cached. */
@Produces
@Singleton
public class AgenticPalErrorHandler implements ExceptionHandler<AgenticPalException, HttpResponse<?>> {

    @Serdeable
    public record ErrorBody(String error, String message) {
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, AgenticPalException exception) {
        return HttpResponse.status(exception.status()).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .body(new ErrorBody(exception.error(), exception.getMessage()));
    }
}
