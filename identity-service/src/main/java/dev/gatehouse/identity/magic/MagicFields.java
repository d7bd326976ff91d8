package dev.gatehouse.identity.magic;

import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;

import java.util.List;
import java.util.regex.Pattern;

/** Field checks of the magic-code and sign-up bodies: a 400 problem naming the field. */
public final class MagicFields {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s.]{1,63}");
    private static final Pattern CODE = Pattern.compile("[0-9]{6}");
    /** The one answer for every refused code: wrong, expired, used, void, or none sent to that address. */
    static final ProblemException BAD_CODE = invalid("code",
            "is not valid (wrong, expired or already used); ask for a new code if needed");

    private MagicFields() {
    }

    public static String email(String value) {
        if (value == null || value.length() > 320 || !EMAIL.matcher(value.trim()).matches()) {
            throw invalid("email", "must be an email address");
        }
        return value.trim();
    }

    static String code(String value) {
        if (value == null || !CODE.matcher(value.trim()).matches()) {
            throw invalid("code", "must be the 6 digits from the mail");
        }
        return value.trim();
    }

    public static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw invalid(field, "must be at most " + max + " characters");
        }
        return value.trim();
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, field + " " + message,
                List.of(new FieldError(field, message)));
    }
}
