package dev.gatehouse.tenant.organization;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.internal.sql.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The first step of every change inside an organization: lock its row (serialising concurrent changes of one
 * organization, e.g. two demotions racing for the last admin) and refuse changes to a missing (404) or archived
 * (409) one.
 */
public final class OrganizationGuard {
    private OrganizationGuard() {
    }

    public static void lockActive(Connection c, OrgId organization) throws SQLException {
        Optional<Boolean> archived = Sql.one(c,
                "select archived_at is not null from organization where id = ? for no key update",
                rs -> rs.getBoolean(1), organization.value());
        if (archived.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such organization");
        }
        if (archived.get()) {
            throw new ProblemException(ProblemType.CONFLICT, "The organization is archived");
        }
    }
}
