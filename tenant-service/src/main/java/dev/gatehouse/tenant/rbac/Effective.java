package dev.gatehouse.tenant.rbac;

import java.util.List;

/**
 * A member's effective access in one organization: the roles granted directly and through groups, and the union of
 * their permissions, both sorted.
 *
 * @param directRoles roles granted on the membership itself
 * @param roles       every role the member holds (direct and through groups)
 * @param permissions the union of those roles' permissions
 */
public record Effective(List<String> directRoles, List<String> roles, List<String> permissions) {
    public Effective {
        directRoles = List.copyOf(directRoles);
        roles = List.copyOf(roles);
        permissions = List.copyOf(permissions);
    }

    public boolean hasRole(BuiltInRole role) {
        return roles.contains(role.key());
    }
}
