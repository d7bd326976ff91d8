package dev.gatehouse.session.device;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/**
 * Who approved a device grant on the verification page, kept with the grant until the device redeems it.
 *
 * @param userId         the signed-in user
 * @param organizationId the organization the session will act in, or null
 * @param userClaims     email, email_verified, name, picture_url
 * @param platformAdmin  the user is a platform admin
 * @param authTime       when the user authenticated
 */
@Serdeable
public record DeviceApproval(String userId, @Nullable String organizationId, Map<String, Object> userClaims,
                             boolean platformAdmin, Instant authTime) {
    public DeviceApproval {
        // the JSON round trip through Redis drops an empty map
        userClaims = userClaims == null ? Map.of() : Map.copyOf(userClaims);
    }
}
