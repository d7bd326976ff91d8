package dev.gatehouse.kit.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place where error responses are built: every error Micronaut or a controller raises (bad JSON, failed
 * validation, unknown route, wrong method, body too large, {@link ProblemException}, unexpected exceptions) leaves
 * as {@code application/problem+json}. Server errors never carry the exception's message.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {
    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");
    /** Messages that mention Java types or exceptions are internals, not client-facing detail. */
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z]\\w*|\\bjava\\.|\\bio\\.micronaut|\\bat [a-z]");
    private static final int MAX_DETAIL = 300;

    @Override
    public @NonNull MutableHttpResponse<Problem> processResponse(@NonNull ErrorContext context,
                                                                 @NonNull MutableHttpResponse<?> response) {
        int status = response.code();
        Throwable cause = context.getRootCause().orElse(null);
        ProblemType type;
        String detail;
        List<Problem.FieldError> errors = List.of();
        if (cause instanceof ProblemException problem) {
            type = problem.type();
            detail = problem.getMessage();
            errors = problem.errors();
        } else if (cause instanceof ConstraintViolationException violations && status == 400) {
            type = ProblemType.VALIDATION_FAILED;
            errors = fieldErrors(violations);
            detail = errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().message()
                    : errors.size() + " fields are not valid";
        } else {
            type = ProblemType.forStatus(status);
            detail = status >= 500 ? null : safeDetail(context, type);
        }
        if (status >= 500 && !(cause instanceof ProblemException)) {
            detail = "An unexpected error occurred. Quote the request id when reporting it.";
        }
        HttpRequest<?> request = context.getRequest();
        var body = new Problem(type.uri(), type.title(), status, detail, request.getPath(),
                RequestIdFilter.requestId(request), errors);
        return response.body(body).contentType(PROBLEM_JSON);
    }

    private static String safeDetail(ErrorContext context, ProblemType type) {
        return context.getErrors().stream()
                .map(e -> firstLine(e.getMessage()))
                .filter(m -> !m.isBlank() && !INTERNALS.matcher(m).find())
                .findFirst()
                .map(m -> m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "..." : m)
                .orElse(type.title());
    }

    /** Parser messages continue with source locations on later lines; only the first line is for the client. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        // Jackson appends "at [Source: REDACTED ...; line: 1, column: 9]", sometimes inside "(start marker at ...)":
        // a parser location, not something for the client
        int source = line.indexOf("[Source:");
        if (source >= 0) {
            int paren = line.lastIndexOf('(', source);
            line = line.substring(0, paren >= 0 ? paren : source).replaceFirst("\\s+at\\s*$", "");
        }
        return line.strip();
    }

    static List<Problem.FieldError> fieldErrors(ConstraintViolationException exception) {
        var errors = new ArrayList<Problem.FieldError>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            errors.add(new Problem.FieldError(field(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return errors;
    }

    /** {@code create.request.slug} → {@code slug}: the method and parameter nodes say nothing to the client. */
    private static String field(Path path) {
        var names = new ArrayList<String>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER && names.isEmpty()) {
                names.add(node.getName());
                continue;
            }
            String name = node.getName();
            if (name == null || name.startsWith("<")) {
                if (node.getIndex() != null && !names.isEmpty()) {
                    names.set(names.size() - 1, names.getLast() + "[" + node.getIndex() + "]");
                }
                continue;
            }
            names.add(node.getIndex() != null ? name + "[" + node.getIndex() + "]" : name);
        }
        // Drop the body parameter's own name when there is a field below it.
        if (names.size() > 1) {
            names.removeFirst();
        }
        return names.isEmpty() ? "body" : String.join(".", names);
    }
}
