package dev.gatehouse.tenant.organization;

import dev.gatehouse.kit.http.Problem;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Field rules of organizations that Bean Validation annotations cannot say. */
final class OrganizationRules {
    static final String SLUG = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    static final String SLUG_MESSAGE =
            "must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen";
    static final String COLOR = "#[0-9a-fA-F]{6}";
    static final String COLOR_MESSAGE = "must be a colour like #1a2b3c";
    static final int MAX_METADATA = 50;
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    private OrganizationRules() {
    }

    /** 400 validation-failed listing every bad field. */
    static void check(String logoUrl, Map<String, String> metadata) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (logoUrl != null && !logoUrl.isEmpty() && !isHttpsUrl(logoUrl)) {
            errors.add(new Problem.FieldError("logoUrl", "must be an absolute https URL"));
        }
        if (metadata != null) {
            if (metadata.size() > MAX_METADATA) {
                errors.add(new Problem.FieldError("metadata", "must have at most " + MAX_METADATA + " entries"));
            }
            for (var entry : metadata.entrySet()) {
                if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
                    errors.add(new Problem.FieldError("metadata", "keys must be 1-40 of [A-Za-z0-9_.-]"));
                    break;
                }
                if (entry.getValue() == null || entry.getValue().length() > 500) {
                    errors.add(new Problem.FieldError("metadata", "values must be strings of at most 500 characters"));
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED,
                    errors.size() + (errors.size() == 1 ? " field is" : " fields are") + " not valid", errors);
        }
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null;
        } catch (Exception e) {
            return false;
        }
    }
}
