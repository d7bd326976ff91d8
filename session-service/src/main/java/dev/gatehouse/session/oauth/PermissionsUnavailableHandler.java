package dev.gatehouse.session.oauth;

import dev.gatehouse.session.session.PermissionsUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** tenant-service could not say what a user may do: 503, as for an unavailable signing key. */
@Produces
@Singleton
public class PermissionsUnavailableHandler
        implements ExceptionHandler<PermissionsUnavailableException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(PermissionsUnavailableHandler.class);
    private final ErrorResponseProcessor<?> errors;

    public PermissionsUnavailableHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, PermissionsUnavailableException exception) {
        LOG.error("cannot look up permissions: {}", exception.getMessage());
        return SigningUnavailableHandler.unavailable(request, errors);
    }
}
