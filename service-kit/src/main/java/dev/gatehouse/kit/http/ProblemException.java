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
    private final String challenge;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        this(type, detail, errors, null);
    }

    private ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors, String challenge) {
        super(detail, null, false, false);
        this.type = Objects.requireNonNull(type);
        this.errors = List.copyOf(errors);
        this.challenge = challenge;
    }

    /**
     * A 401 for a missing or bad bearer token, answered with {@code WWW-Authenticate: Bearer} (RFC 6750 §3):
     * {@code error="invalid_token"} when a token was sent, no error attribute when none was.
     */
    public static ProblemException bearerChallenge(String detail, boolean tokenSent) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail, List.of(),
                tokenSent ? "Bearer error=\"invalid_token\"" : "Bearer");
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** The {@code WWW-Authenticate} value to answer with, or null. */
    public String challenge() {
        return challenge;
    }
}
