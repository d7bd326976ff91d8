package dev.gatehouse.tenant.rbac;

import java.util.Arrays;
import java.util.Optional;

/**
 * The built-in roles of every organization (seed 001), in order: each holds the permissions of the ones below it.
 * Only {@link #ADMIN} manages the organization through the admin API; viewer and operator read it.
 */
public enum BuiltInRole {
    VIEWER("viewer", "Viewer", "Read-only access"),
    OPERATOR("operator", "Operator", "Viewer permissions, plus operating (e.g. start/stop proxies)"),
    ADMIN("admin", "Admin", "Full access, including managing the organization");

    private final String key;
    private final String displayName;
    private final String description;

    BuiltInRole(String key, String displayName, String description) {
        this.key = key;
        this.displayName = displayName;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String displayName() {
        return displayName;
    }

    public String description() {
        return description;
    }

    public static Optional<BuiltInRole> byKey(String key) {
        return Arrays.stream(values()).filter(r -> r.key.equals(key)).findFirst();
    }

    public static boolean isBuiltIn(String key) {
        return byKey(key).isPresent();
    }
}
