package dev.gatehouse.identity.auth;

import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;

import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by the auth controllers: a 400 problem naming the field. */
public final class Validation {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s.]{1,63}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Validation() {
    }

    public static String email(String value) {
        if (value == null || value.length() > 320 || !EMAIL.matcher(value.trim()).matches()) {
            throw invalid("email", "must be an email address");
        }
        return value.trim();
    }

    public static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        if (value.length() > max) {
            throw invalid(field, "must be at most " + max + " characters");
        }
        return value;
    }

    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw invalid(field, "must be 1-64 of A-Z a-z 0-9 _ -");
        }
        return value;
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, field + " " + message,
                List.of(new FieldError(field, message)));
    }
}
