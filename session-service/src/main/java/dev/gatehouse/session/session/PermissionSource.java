package dev.gatehouse.session.session;

import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * Effective permissions of a user in an organization, for the {@code permissions} claim. Looked up at every mint
 * (sign-in and refresh), so a changed role reaches the next access token. tenant-service owns RBAC; until its
 * implementation of this lands, {@link NoPermissions} mints tokens without permissions (an empty set, which seed
 * 002 reads as "no privileged operations").
 */
public interface PermissionSource {
    Set<String> permissions(String userId, @Nullable String organizationId);
}
