package dev.gatehouse.tenant.rbac;

import java.util.regex.Pattern;

/**
 * Permission names: lowercase dotted words such as {@code audit_tail.read} or {@code proxies.write} (seed 002). The
 * bounds keep access tokens small (docs/tokens.md: the {@code permissions} claim is dropped, with
 * {@code permissions_omitted: true}, past 2,048 characters of JSON).
 */
public final class Permissions {
    /** At most this many characters per permission name. */
    public static final int MAX_LENGTH = 64;
    /** At most this many permissions per custom role. */
    public static final int MAX_PER_ROLE = 100;
    /** At most this many roles per membership or group. */
    public static final int MAX_ROLES = 20;
    static final String RULE = "must be 1-64 characters: lowercase words of [a-z0-9_] joined by '.' or ':'";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(?:[.:][a-z0-9_]+)*");

    private Permissions() {
    }

    public static boolean isValid(String permission) {
        return permission != null && permission.length() <= MAX_LENGTH && NAME.matcher(permission).matches();
    }
}
