package dev.gatehouse.session.internal;

import dev.gatehouse.contract.token.Claims;
import dev.gatehouse.kit.http.Problem.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What identity-service asserts about a user it has authenticated: who, in which organization, and the profile
 * claims tokens may carry.
 *
 * @param userId         the user ({@code sub})
 * @param organizationId the organization the user signed in to, or null
 * @param email          e-mail address
 * @param emailVerified  whether it is verified
 * @param name           display name
 * @param pictureUrl     avatar URL
 * @param platformAdmin  the user is a platform administrator
 * @param authTime       when the user authenticated (default: now)
 */
@Serdeable
public record UserAssertion(@Nullable String userId, @Nullable String organizationId, @Nullable String email,
                            @Nullable Boolean emailVerified, @Nullable String name, @Nullable String pictureUrl,
                            @Nullable Boolean platformAdmin, @Nullable Instant authTime) {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public List<FieldError> problems(String prefix) {
        List<FieldError> problems = new ArrayList<>();
        if (userId == null || !ID.matcher(userId).matches()) {
            problems.add(new FieldError(prefix + "userId", "must be 1-64 of A-Z a-z 0-9 _ -"));
        }
        if (organizationId != null && !ID.matcher(organizationId).matches()) {
            problems.add(new FieldError(prefix + "organizationId", "must be 1-64 of A-Z a-z 0-9 _ -"));
        }
        if (email != null && (email.length() > 320 || !email.contains("@"))) {
            problems.add(new FieldError(prefix + "email", "must be an e-mail address"));
        }
        if (name != null && name.length() > 200) {
            problems.add(new FieldError(prefix + "name", "at most 200 characters"));
        }
        if (pictureUrl != null && (pictureUrl.length() > 2000 || !pictureUrl.startsWith("https://"))) {
            problems.add(new FieldError(prefix + "pictureUrl", "must be an https URL of at most 2000 characters"));
        }
        return problems;
    }

    /** The profile claims, named as in tokens. */
    public Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (email != null) {
            claims.put(Claims.EMAIL, email);
            claims.put(Claims.EMAIL_VERIFIED, Boolean.TRUE.equals(emailVerified));
        }
        if (name != null) {
            claims.put(Claims.NAME, name);
        }
        if (pictureUrl != null) {
            claims.put(Claims.PICTURE_URL, pictureUrl);
        }
        return claims;
    }

    public boolean isPlatformAdmin() {
        return Boolean.TRUE.equals(platformAdmin);
    }
}
