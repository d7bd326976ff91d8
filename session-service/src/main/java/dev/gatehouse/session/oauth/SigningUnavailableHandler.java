package dev.gatehouse.session.oauth;

import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.keys.SigningUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No key can sign right now (none active, or this replica has not re-read the keys for too long): 503 with
 * {@code Retry-After}, never a 500. OAuth endpoints answer {@code temporarily_unavailable} in the RFC 6749 shape,
 * the others problem+json.
 */
@Produces
@Singleton
public class SigningUnavailableHandler implements ExceptionHandler<SigningUnavailableException, HttpResponse<?>> {
    static final String DESCRIPTION = "tokens cannot be issued right now; retry shortly";
    private static final Logger LOG = LoggerFactory.getLogger(SigningUnavailableHandler.class);
    private final ErrorResponseProcessor<?> errors;

    public SigningUnavailableHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, SigningUnavailableException exception) {
        LOG.error("cannot sign tokens: {}", exception.getMessage());
        return unavailable(request, errors);
    }

    /** 503 with Retry-After, in the OAuth shape on /oauth2/ and problem+json elsewhere. */
    static HttpResponse<?> unavailable(HttpRequest<?> request, ErrorResponseProcessor<?> errors) {
        if (request.getPath().startsWith("/oauth2/")) {
            return OAuthExceptionHandler.render(new OAuthException("temporarily_unavailable",
                    DESCRIPTION, 503)).header("Retry-After", "5");
        }
        var problem = new ProblemException(ProblemType.SERVICE_UNAVAILABLE, DESCRIPTION);
        return errors.processResponse(ErrorContext.builder(request).cause(problem).build(),
                HttpResponse.status(ProblemType.SERVICE_UNAVAILABLE.status()).header("Retry-After", "5"));
    }
}
