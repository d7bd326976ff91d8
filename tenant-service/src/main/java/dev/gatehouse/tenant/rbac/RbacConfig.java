package dev.gatehouse.tenant.rbac;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Role-based access control settings, under {@code gatehouse.tenant.rbac}.
 *
 * @param viewerPermissions   permissions of the built-in {@code viewer} role (default {@link #DEFAULT_VIEWER})
 * @param operatorPermissions permissions the built-in {@code operator} adds to viewer's (default
 *                            {@link #DEFAULT_OPERATOR})
 * @param adminPermissions    permissions the built-in {@code admin} adds to operator's (default {@link #DEFAULT_ADMIN});
 *                            these are the "admin permissions" an API key never carries
 * @param cacheMaxEntries     effective-permission entries cached in memory per replica (0 disables the cache)
 * @param cacheMaxAge         a cached entry is reloaded after this long even without a change notification (a safety
 *                            net; changes are normally seen at once through PostgreSQL notifications)
 */
@ConfigurationProperties("gatehouse.tenant.rbac")
public record RbacConfig(
        @Nullable List<String> viewerPermissions,
        @Nullable List<String> operatorPermissions,
        @Nullable List<String> adminPermissions,
        @Bindable(defaultValue = "200000") @Min(0) int cacheMaxEntries,
        @Bindable(defaultValue = "5m") @NotNull Duration cacheMaxAge) {

    public static final List<String> DEFAULT_VIEWER = List.of("organization.read", "members.read", "roles.read",
            "groups.read", "proxies.read", "logs.read", "stats.read");
    public static final List<String> DEFAULT_OPERATOR = List.of("proxies.operate", "audit_tail.read");
    public static final List<String> DEFAULT_ADMIN = List.of("organization.write", "members.write", "roles.write",
            "groups.write", "api_keys.write", "invitations.write", "domains.write", "proxies.write", "policies.write",
            "users.write");

    public RbacConfig {
        viewerPermissions = viewerPermissions == null ? DEFAULT_VIEWER : List.copyOf(viewerPermissions);
        operatorPermissions = operatorPermissions == null ? DEFAULT_OPERATOR : List.copyOf(operatorPermissions);
        adminPermissions = adminPermissions == null ? DEFAULT_ADMIN : List.copyOf(adminPermissions);
        List<String> problems = new ArrayList<>();
        check(problems, "viewer-permissions", viewerPermissions);
        check(problems, "operator-permissions", operatorPermissions);
        check(problems, "admin-permissions", adminPermissions);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    private static void check(List<String> problems, String key, List<String> permissions) {
        for (String permission : permissions) {
            if (!Permissions.isValid(permission)) {
                problems.add("gatehouse.tenant.rbac." + key + ": '" + permission + "' " + Permissions.RULE);
            }
        }
    }

    /** The cumulative permissions of a built-in role (operator includes viewer's, admin includes operator's). */
    public Set<String> permissionsOf(BuiltInRole role) {
        var result = new TreeSet<>(viewerPermissions);
        if (role != BuiltInRole.VIEWER) {
            result.addAll(operatorPermissions);
        }
        if (role == BuiltInRole.ADMIN) {
            result.addAll(adminPermissions);
        }
        return Collections.unmodifiableSet(result);
    }

    /** Permissions only the admin role holds: never granted to an API key, whatever its group's roles. */
    public Set<String> adminOnly() {
        var result = new TreeSet<>(permissionsOf(BuiltInRole.ADMIN));
        result.removeAll(permissionsOf(BuiltInRole.OPERATOR));
        return Collections.unmodifiableSet(result);
    }
}
