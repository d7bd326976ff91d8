package dev.gatehouse.kit.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem document, as every non-OAuth Gatehouse API answers errors.
 *
 * @param type      one of {@link ProblemType}
 * @param title     short, stable summary of the type
 * @param status    the HTTP status
 * @param detail    what went wrong with this request, safe to show (never internals)
 * @param instance  the request path
 * @param requestId correlates with the service's logs
 * @param errors    field-level validation errors, when there are any
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, String instance, String requestId,
                      List<FieldError> errors) {

    /**
     * One invalid field.
     *
     * @param field   dotted path of the field in the request (e.g. {@code slug})
     * @param message what is wrong with it
     */
    @Serdeable
    public record FieldError(String field, String message) {
    }
}
