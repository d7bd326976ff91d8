package dev.gatehouse.tenant.rbac;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Problem;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.internal.sql.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Checks role keys given to a membership, group or invitation. */
public final class Roles {
    private Roles() {
    }

    /**
     * The roles, deduplicated and sorted, when each is built-in or a custom role of the organization; otherwise 400
     * validation-failed on {@code field}.
     */
    public static List<String> require(Connection c, OrgId organization, Collection<String> roles, String field,
                                       boolean allowEmpty) throws SQLException {
        if (roles == null || (!allowEmpty && roles.isEmpty()) || roles.size() > Permissions.MAX_ROLES) {
            throw invalid(field, "must list " + (allowEmpty ? "0" : "1") + "-" + Permissions.MAX_ROLES + " roles");
        }
        var sorted = new TreeSet<String>();
        List<String> custom = new ArrayList<>();
        for (String role : roles) {
            if (role == null) {
                throw invalid(field, "must not contain null");
            }
            sorted.add(role);
            if (!BuiltInRole.isBuiltIn(role)) {
                custom.add(role);
            }
        }
        if (!custom.isEmpty()) {
            long known = Sql.count(c, "select count(*) from role where organization_id = ? and key = any(?)",
                    organization.value(), List.copyOf(new TreeSet<>(custom)));
            if (known != new TreeSet<>(custom).size()) {
                throw invalid(field, "names a role the organization does not have");
            }
        }
        return List.copyOf(sorted);
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
