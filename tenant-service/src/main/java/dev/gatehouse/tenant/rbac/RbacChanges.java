package dev.gatehouse.tenant.rbac;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Called inside every transaction that changes what effective permissions are made of (memberships, custom roles,
 * groups and their members, archiving). After the commit, this replica drops the organization's cached entries, and
 * {@code pg_notify} (delivered by PostgreSQL on commit, never on rollback) makes every other replica do the same
 * ({@link RbacListener}).
 */
@Singleton
public class RbacChanges {
    public static final String CHANNEL = "gatehouse_tenant_rbac";
    private final Db db;
    private final EffectivePermissions effective;

    public RbacChanges(Db db, EffectivePermissions effective) {
        this.db = db;
        this.effective = effective;
    }

    public void changed(Connection c, OrgId organization) throws SQLException {
        Sql.one(c, "select pg_notify(?, ?)", rs -> true, CHANNEL, organization.value());
        db.afterCommit(() -> effective.invalidate(organization.value()));
    }
}
