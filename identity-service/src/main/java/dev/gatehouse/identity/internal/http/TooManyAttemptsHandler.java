package dev.gatehouse.identity.internal.http;

import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemExceptionHandler;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** 429 problem+json with {@code Retry-After} (whole seconds, at least 1). */
@Singleton
public class TooManyAttemptsHandler implements ExceptionHandler<TooManyAttemptsException, HttpResponse<?>> {
    private final ProblemExceptionHandler problems;

    public TooManyAttemptsHandler(ProblemExceptionHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, TooManyAttemptsException exception) {
        HttpResponse<?> response = problems.handle(request, new ProblemException(ProblemType.TOO_MANY_REQUESTS,
                exception.getMessage()));
        long seconds = Math.max(1, (exception.retryAfter().toMillis() + 999) / 1000);
        return ((MutableHttpResponse<?>) response).header("Retry-After", String.valueOf(seconds));
    }
}
