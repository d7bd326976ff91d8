package dev.gatehouse.tenant.group;

import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.id.Ids;
import dev.gatehouse.tenant.apikey.ApiKeyService;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import dev.gatehouse.tenant.organization.OrganizationGuard;
import dev.gatehouse.tenant.rbac.RbacChanges;
import dev.gatehouse.tenant.rbac.Roles;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * User groups (seed 001): members of an organization grouped together, roles granted to the group, and the rate
 * limit gateway-edge applies to the group's API keys. A change republishes the state of the group's keys and drops
 * the organization's cached permissions.
 */
@Singleton
public class GroupService {
    private final Db db;
    private final RbacChanges changes;
    private final ApiKeyService keys;
    private final Clock clock;

    public GroupService(Db db, RbacChanges changes, ApiKeyService keys, Clock clock) {
        this.db = db;
        this.changes = changes;
        this.keys = keys;
        this.clock = clock;
    }

    public sealed interface SaveOutcome permits Saved, Unchanged, NameTaken, NotFound {
    }

    /** The group already was as asked. */
    public record Unchanged(Group group) implements SaveOutcome {
    }

    /** @param created whether the group is new */
    public record Saved(Group group, boolean created) implements SaveOutcome {
    }

    public record NameTaken(String name) implements SaveOutcome {
    }

    public record NotFound() implements SaveOutcome {
    }

    public record Spec(String name, String description, List<String> roles, RateLimitPolicy rateLimit) {
    }

    /** Converts the body (burst defaults to the request count). */
    public static Spec spec(GroupRequest body) {
        RateLimitPolicy limit = body.rateLimit() == null ? null : new RateLimitPolicy(body.rateLimit().requests(),
                body.rateLimit().windowSeconds(),
                body.rateLimit().burst() == null ? body.rateLimit().requests() : body.rateLimit().burst());
        return new Spec(body.name().strip(), body.description(), body.roles(), limit);
    }

    public SaveOutcome create(OrgId organization, Spec spec) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            return insert(c, organization, spec);
        });
    }

    /** Inside the caller's transaction, the organization locked. */
    public SaveOutcome insert(Connection c, OrgId organization, Spec spec) throws SQLException {
        List<String> roles = Roles.require(c, organization, spec.roles(), "roles", true);
        Instant now = now();
        String id = Ids.next("grp", clock);
        RateLimitPolicy limit = spec.rateLimit();
        int inserted = Sql.update(c, """
                insert into user_group (id, organization_id, name, description, roles, rate_limit_requests,
                                        rate_limit_window_seconds, rate_limit_burst, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (organization_id, name) do nothing""",
                id, organization.value(), spec.name(), spec.description(), roles,
                limit == null ? null : limit.requests(), limit == null ? null : limit.windowSeconds(),
                limit == null ? null : limit.burst(), now, now);
        if (inserted == 0) {
            return new NameTaken(spec.name());
        }
        return new Saved(new Group(id, organization.value(), spec.name(), spec.description(), roles, limit, now, now),
                true);
    }

    public SaveOutcome update(OrgId organization, String groupId, Spec spec) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            return replace(c, organization, groupId, spec);
        });
    }

    /** Inside the caller's transaction, the organization locked; leaves an identical group untouched. */
    public SaveOutcome replace(Connection c, OrgId organization, String groupId, Spec spec) throws SQLException {
        Optional<Group> existing = find(c, organization, groupId);
        if (existing.isEmpty()) {
            return new NotFound();
        }
        List<String> roles = Roles.require(c, organization, spec.roles(), "roles", true);
        Group before = existing.get();
        if (before.name().equals(spec.name()) && Objects.equals(before.description(), spec.description())
                && before.roles().equals(roles) && Objects.equals(before.rateLimit(), spec.rateLimit())) {
            return new Unchanged(before);
        }
        if (!before.name().equals(spec.name()) && Sql.count(c,
                "select count(*) from user_group where organization_id = ? and name = ?",
                organization.value(), spec.name()) > 0) {
            return new NameTaken(spec.name());
        }
        Instant now = now();
        RateLimitPolicy limit = spec.rateLimit();
        Sql.update(c, """
                update user_group set name = ?, description = ?, roles = ?, rate_limit_requests = ?,
                    rate_limit_window_seconds = ?, rate_limit_burst = ?, updated_at = ?
                where id = ?""", spec.name(), spec.description(), roles,
                limit == null ? null : limit.requests(), limit == null ? null : limit.windowSeconds(),
                limit == null ? null : limit.burst(), now, groupId);
        if (!before.roles().equals(roles)) {
            changes.changed(c, organization);
        }
        if (!before.roles().equals(roles) || !Objects.equals(before.rateLimit(), limit)) {
            keys.refreshGroups(c, organization, List.of(groupId));
        }
        return new Saved(new Group(groupId, organization.value(), spec.name(), spec.description(), roles, limit,
                before.createdAt(), now), false);
    }

    /** Deletes the group and revokes its API keys; false when there is no such group. */
    public boolean delete(OrgId organization, String groupId) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            if (find(c, organization, groupId).isEmpty()) {
                return false;
            }
            keys.revokeGroup(c, organization, groupId);
            Sql.update(c, "delete from user_group where id = ?", groupId);
            changes.changed(c, organization);
            return true;
        });
    }

    public Optional<Group> find(OrgId organization, String groupId) {
        return db.read(c -> find(c, organization, groupId));
    }

    public Optional<Group> findByName(Connection c, OrgId organization, String name) throws SQLException {
        return Sql.one(c, "select * from user_group where organization_id = ? and name = ?", GroupService::group,
                organization.value(), name);
    }

    private static Optional<Group> find(Connection c, OrgId organization, String groupId) throws SQLException {
        return Sql.one(c, "select * from user_group where organization_id = ? and id = ?", GroupService::group,
                organization.value(), groupId);
    }

    public Page<GroupView> list(OrgId organization, Paging paging) {
        List<Group> rows = db.read(c -> Sql.list(c, """
                select * from user_group where organization_id = ? and id > ? order by id limit ?""",
                GroupService::group, organization.value(), paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, Group::id, GroupView::of);
    }

    public sealed interface MemberOutcome permits MemberAdded, AlreadyMember, NoSuchGroup, NotAnOrganizationMember {
    }

    public record MemberAdded() implements MemberOutcome {
    }

    public record AlreadyMember() implements MemberOutcome {
    }

    public record NoSuchGroup() implements MemberOutcome {
    }

    public record NotAnOrganizationMember() implements MemberOutcome {
    }

    public MemberOutcome addMember(OrgId organization, String groupId, UserId user) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            return addMember(c, organization, groupId, user);
        });
    }

    /** Inside the caller's transaction, the organization locked. */
    public MemberOutcome addMember(Connection c, OrgId organization, String groupId, UserId user) throws SQLException {
        if (find(c, organization, groupId).isEmpty()) {
            return new NoSuchGroup();
        }
        if (Sql.count(c, "select count(*) from membership where organization_id = ? and user_id = ?",
                organization.value(), user.value()) == 0) {
            return new NotAnOrganizationMember();
        }
        int added = Sql.update(c, """
                insert into group_member (group_id, organization_id, user_id, created_at) values (?, ?, ?, ?)
                on conflict do nothing""", groupId, organization.value(), user.value(), now());
        if (added == 0) {
            return new AlreadyMember();
        }
        changes.changed(c, organization);
        return new MemberAdded();
    }

    /** False when the user was not in the group (or there is no such group). */
    public boolean removeMember(OrgId organization, String groupId, UserId user) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            int removed = Sql.update(c, """
                    delete from group_member where group_id = ? and organization_id = ? and user_id = ?""",
                    groupId, organization.value(), user.value());
            if (removed > 0) {
                changes.changed(c, organization);
            }
            return removed > 0;
        });
    }

    public Page<GroupView.Member> members(OrgId organization, String groupId, Paging paging) {
        List<GroupView.Member> rows = db.read(c -> Sql.list(c, """
                select user_id, created_at from group_member
                where group_id = ? and organization_id = ? and user_id > ? order by user_id limit ?""",
                rs -> new GroupView.Member(rs.getString("user_id"), Sql.instant(rs, "created_at")),
                groupId, organization.value(), paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, GroupView.Member::userId, m -> m);
    }

    static Group group(ResultSet rs) throws SQLException {
        Integer requests = Sql.integer(rs, "rate_limit_requests");
        RateLimitPolicy limit = requests == null ? null : new RateLimitPolicy(requests,
                rs.getInt("rate_limit_window_seconds"), rs.getInt("rate_limit_burst"));
        return new Group(rs.getString("id"), rs.getString("organization_id"), rs.getString("name"),
                rs.getString("description"), Sql.strings(rs, "roles"), limit, Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
