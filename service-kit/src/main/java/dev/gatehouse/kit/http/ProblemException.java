package dev.gatehouse.kit.http;

import java.util.List;
import java.util.Objects;

/**
 * Thrown by a controller for an expected failure that has no better home in a sealed result; rendered as
 * problem+json by {@link ProblemErrorResponseProcessor}. The detail must be safe to show to the client.
 */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = Objects.requireNonNull(type);
        this.errors = List.copyOf(errors);
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
