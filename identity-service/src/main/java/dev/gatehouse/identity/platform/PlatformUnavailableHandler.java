package dev.gatehouse.identity.platform;

import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemExceptionHandler;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A platform service being unavailable is a 503 problem+json. */
@Singleton
@Requires(classes = {PlatformUnavailableException.class, ExceptionHandler.class})
public class PlatformUnavailableHandler implements ExceptionHandler<PlatformUnavailableException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformUnavailableHandler.class);
    private final ProblemExceptionHandler problems;

    public PlatformUnavailableHandler(ProblemExceptionHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, PlatformUnavailableException exception) {
        LOG.warn("platform unavailable: {}", exception.getMessage());
        return problems.handle(request, new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                "A platform service is temporarily unavailable; try again"));
    }
}
