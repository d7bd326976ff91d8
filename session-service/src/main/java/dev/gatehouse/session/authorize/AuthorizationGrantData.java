package dev.gatehouse.session.authorize;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an authorization code stands for, kept in Redis under the code's hash until it is redeemed (once) or expires.
 *
 * @param request        the authorization request it answers
 * @param userId         who signed in
 * @param organizationId in which organization, or null
 * @param userClaims     email, email_verified, name, picture_url
 * @param platformAdmin  the user is a platform admin
 * @param authTime       when the user authenticated
 */
@Serdeable
public record AuthorizationGrantData(AuthorizationRequest request, String userId, @Nullable String organizationId,
                                     Map<String, Object> userClaims, boolean platformAdmin, Instant authTime) {
    public AuthorizationGrantData {
        // serde leaves an empty map out of the stored JSON, so it reads back as null (a user without profile claims)
        userClaims = userClaims == null ? Map.of() : userClaims;
    }

    public List<String> scopes() {
        return request.scopes();
    }
}
