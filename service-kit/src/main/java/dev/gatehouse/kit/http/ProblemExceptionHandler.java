package dev.gatehouse.kit.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Gives a {@link ProblemException} the status of its type; the body is built by the one error processor. */
@Singleton
public class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<?>> {
    private final ErrorResponseProcessor<?> errors;

    public ProblemExceptionHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ProblemException exception) {
        var response = HttpResponse.status(exception.type().status());
        if (exception.challenge() != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, exception.challenge());
        }
        return errors.processResponse(ErrorContext.builder(request).cause(exception).build(), response);
    }
}
