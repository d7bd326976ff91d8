package dev.gatehouse.tenant.membership;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.tenant.MembershipAdded;
import dev.gatehouse.contract.event.tenant.MembershipRemoved;
import dev.gatehouse.contract.event.tenant.MembershipRolesChanged;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.kit.outbox.Outbox;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import dev.gatehouse.tenant.organization.OrganizationGuard;
import dev.gatehouse.tenant.rbac.BuiltInRole;
import dev.gatehouse.tenant.rbac.RbacChanges;
import dev.gatehouse.tenant.rbac.Roles;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Memberships (user ↔ organization, with roles). Every change records its event on
 * {@code gatehouse.tenant.membership.v1} in the same transaction and drops the organization's cached permissions.
 * An organization keeps at least one member with the admin role granted directly, once it has one.
 */
@Singleton
public class MembershipService {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipService.class);
    private final Db db;
    private final Outbox outbox;
    private final RbacChanges changes;
    private final Clock clock;

    public MembershipService(Db db, Outbox outbox, RbacChanges changes, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.changes = changes;
        this.clock = clock;
    }

    /** What setting a member's roles came to. */
    public sealed interface PutOutcome permits Added, RolesChanged, Unchanged {
        Membership membership();
    }

    public record Added(Membership membership) implements PutOutcome {
    }

    public record RolesChanged(Membership membership) implements PutOutcome {
    }

    public record Unchanged(Membership membership) implements PutOutcome {
    }

    /** Makes the user a member with exactly {@code roles} (added, or roles replaced). */
    public PutOutcome put(OrgId organization, UserId user, List<String> roles) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            List<String> checked = Roles.require(c, organization, roles, "roles", false);
            return set(c, organization, user, checked, false);
        });
    }

    /**
     * Inside the caller's transaction (the organization already locked): adds the user with {@code roles}, or, when
     * already a member, grants them in addition to the roles they have (joining never takes a role away).
     */
    public PutOutcome grant(Connection c, OrgId organization, UserId user, List<String> roles) throws SQLException {
        return set(c, organization, user, roles, true);
    }

    private PutOutcome set(Connection c, OrgId organization, UserId user, List<String> roles, boolean merge)
            throws SQLException {
        Instant now = now();
        Optional<Membership> existing = find(c, organization, user, true);
        if (existing.isEmpty()) {
            Sql.update(c, """
                    insert into membership (organization_id, user_id, roles, created_at, updated_at)
                    values (?, ?, ?, ?, ?)""", organization.value(), user.value(), roles, now, now);
            outbox.record(Events.MEMBERSHIP_ADDED, organization, new MembershipAdded(organization, user, roles));
            changes.changed(c, organization);
            LOG.info("added {} to organization {} as {}", user, organization, roles);
            return new Added(new Membership(organization.value(), user.value(), roles, now, now));
        }
        Membership before = existing.get();
        var wanted = new TreeSet<>(roles);
        if (merge) {
            wanted.addAll(before.roles());
        }
        List<String> after = List.copyOf(wanted);
        if (after.equals(before.roles())) {
            return new Unchanged(before);
        }
        if (before.roles().contains(BuiltInRole.ADMIN.key()) && !after.contains(BuiltInRole.ADMIN.key())) {
            requireAnotherAdmin(c, organization, user);
        }
        Sql.update(c, "update membership set roles = ?, updated_at = ? where organization_id = ? and user_id = ?",
                after, now, organization.value(), user.value());
        outbox.record(Events.MEMBERSHIP_ROLES_CHANGED, organization,
                new MembershipRolesChanged(organization, user, after));
        changes.changed(c, organization);
        return new RolesChanged(new Membership(organization.value(), user.value(), after, before.createdAt(), now));
    }

    /**
     * Removes the membership (and the user's group memberships in the organization) and records
     * {@code MembershipRemoved}, on which session-service revokes the user's sessions in the organization. False when
     * the user was not a member.
     */
    public boolean remove(OrgId organization, UserId user) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            Optional<Membership> existing = find(c, organization, user, true);
            if (existing.isEmpty()) {
                return false;
            }
            if (existing.get().roles().contains(BuiltInRole.ADMIN.key())) {
                requireAnotherAdmin(c, organization, user);
            }
            Sql.update(c, "delete from group_member where organization_id = ? and user_id = ?",
                    organization.value(), user.value());
            Sql.update(c, "delete from membership where organization_id = ? and user_id = ?",
                    organization.value(), user.value());
            outbox.record(Events.MEMBERSHIP_REMOVED, organization, new MembershipRemoved(organization, user));
            changes.changed(c, organization);
            LOG.info("removed {} from organization {}", user, organization);
            return true;
        });
    }

    private static void requireAnotherAdmin(Connection c, OrgId organization, UserId user) throws SQLException {
        long others = Sql.count(c, """
                select count(*) from membership
                where organization_id = ? and user_id <> ? and 'admin' = any(roles)""",
                organization.value(), user.value());
        if (others == 0) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "The organization's last admin cannot be removed or demoted; make another member admin first");
        }
    }

    public Optional<Membership> find(OrgId organization, UserId user) {
        return db.read(c -> find(c, organization, user, false));
    }

    private static Optional<Membership> find(Connection c, OrgId organization, UserId user, boolean lock)
            throws SQLException {
        return Sql.one(c, "select * from membership where organization_id = ? and user_id = ?"
                + (lock ? " for update" : ""), MembershipService::membership, organization.value(), user.value());
    }

    public Page<MemberView> list(OrgId organization, Paging paging) {
        List<Membership> rows = db.read(c -> Sql.list(c, """
                select * from membership where organization_id = ? and user_id > ?
                order by user_id limit ?""", MembershipService::membership,
                organization.value(), paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, Membership::userId, MemberView::of);
    }

    /** A user's organization, as identity-service needs it for the multi-organization sign-in branch. */
    public record UserOrganization(String organizationId, String slug, String displayName, List<String> roles) {
    }

    /** The user's active (not archived) organizations, by organization id. */
    public Page<UserOrganizationView> organizationsOf(UserId user, Paging paging) {
        List<UserOrganization> rows = db.read(c -> Sql.list(c, """
                select m.organization_id, o.slug, o.display_name, m.roles
                from membership m join organization o on o.id = m.organization_id
                where m.user_id = ? and m.organization_id > ? and o.archived_at is null
                order by m.organization_id limit ?""",
                rs -> new UserOrganization(rs.getString("organization_id"), rs.getString("slug"),
                        rs.getString("display_name"), Sql.strings(rs, "roles")),
                user.value(), paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, UserOrganization::organizationId, UserOrganizationView::of);
    }

    static Membership membership(ResultSet rs) throws SQLException {
        return new Membership(rs.getString("organization_id"), rs.getString("user_id"), Sql.strings(rs, "roles"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
