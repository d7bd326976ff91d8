package dev.gatehouse.tenant.membership;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * {@code GET /internal/v1/organizations/{orgId}/members/{userId}/permissions}: what session-service puts in a token.
 *
 * @param roles       every role the member holds (directly and through groups), sorted
 * @param permissions the union of their permissions, sorted
 */
@Serdeable
public record PermissionsView(String organizationId, String userId, List<String> roles, List<String> permissions) {
}
