package dev.gatehouse.session.session;

import io.micronaut.context.annotation.Secondary;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Set;

/** The fallback {@link PermissionSource} while no tenant-backed one is configured: nobody holds any permission. */
@Singleton
@Secondary
public class NoPermissions implements PermissionSource {
    @Override
    public Set<String> permissions(String userId, @Nullable String organizationId) {
        return Set.of();
    }
}
