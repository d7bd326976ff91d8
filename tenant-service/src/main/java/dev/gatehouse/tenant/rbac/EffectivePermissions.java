package dev.gatehouse.tenant.rbac;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Effective roles and permissions of (user, organization): what session-service puts in tokens and what the admin API
 * authorizes with. Answered from an in-process cache, per organization, that is dropped whenever anything of the
 * organization that feeds it changes ({@link RbacChanges}: after the commit on this replica, and through a
 * PostgreSQL notification on every other). An entry is only ever stored into the organization's current cache
 * generation, so a lookup racing with a change can never re-insert what the change made stale.
 */
@Singleton
public class EffectivePermissions {
    private final Db db;
    private final RbacConfig config;
    private final long maxAgeNanos;
    private final Map<String, Generation> byOrganization = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    public EffectivePermissions(Db db, RbacConfig config) {
        this.db = db;
        this.config = config;
        this.maxAgeNanos = config.cacheMaxAge().toNanos();
    }

    private record Cached(Optional<Effective> value, long loadedAt) {
    }

    private static final class Generation {
        final Map<String, Cached> byUser = new ConcurrentHashMap<>();
    }

    /** The member's effective access, or empty when they are not a member (or the organization is archived). */
    public Optional<Effective> lookup(OrgId organization, UserId user) {
        if (config.cacheMaxEntries() == 0) {
            return db.read(c -> load(c, organization, user));
        }
        Generation generation = byOrganization.computeIfAbsent(organization.value(), k -> new Generation());
        Cached cached = generation.byUser.get(user.value());
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt() < maxAgeNanos) {
            return cached.value();
        }
        Optional<Effective> loaded = db.read(c -> load(c, organization, user));
        if (size.incrementAndGet() > config.cacheMaxEntries()) {
            invalidateAll();
        }
        generation.byUser.put(user.value(), new Cached(loaded, now));
        return loaded;
    }

    /** Forgets everything cached for the organization (this replica only; see {@link RbacChanges}). */
    public void invalidate(String organizationId) {
        Generation removed = byOrganization.remove(organizationId);
        if (removed != null) {
            size.addAndGet(-removed.byUser.size());
        }
    }

    public void invalidateAll() {
        byOrganization.clear();
        size.set(0);
    }

    /** Uncached, on the caller's connection. */
    public Optional<Effective> load(Connection c, OrgId organization, UserId user) throws SQLException {
        record Row(List<String> direct, List<String> viaGroups) {
        }
        Optional<Row> row = Sql.one(c, """
                select m.roles,
                       coalesce((select array_agg(distinct r order by r)
                                 from group_member gm
                                 join user_group g on g.id = gm.group_id
                                 cross join lateral unnest(g.roles) r
                                 where gm.organization_id = m.organization_id and gm.user_id = m.user_id),
                                '{}') as group_roles
                from membership m
                join organization o on o.id = m.organization_id
                where m.organization_id = ? and m.user_id = ? and o.archived_at is null""",
                rs -> new Row(Sql.strings(rs, "roles"), Sql.strings(rs, "group_roles")),
                organization.value(), user.value());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        var roles = new TreeSet<>(row.get().direct());
        roles.addAll(row.get().viaGroups());
        return Optional.of(new Effective(new TreeSet<>(row.get().direct()).stream().toList(), List.copyOf(roles),
                List.copyOf(permissionsOf(c, organization, roles))));
    }

    /** The union of the permissions of {@code roles} (built-in or custom roles of the organization). */
    public Set<String> permissionsOf(Connection c, OrgId organization, Collection<String> roles) throws SQLException {
        var permissions = new TreeSet<String>();
        List<String> custom = new ArrayList<>();
        for (String role : roles) {
            BuiltInRole.byKey(role).ifPresentOrElse(r -> permissions.addAll(config.permissionsOf(r)),
                    () -> custom.add(role));
        }
        if (!custom.isEmpty()) {
            for (List<String> granted : Sql.list(c,
                    "select permissions from role where organization_id = ? and key = any(?)",
                    rs -> Sql.strings(rs, "permissions"), organization.value(), custom)) {
                permissions.addAll(granted);
            }
        }
        return permissions;
    }
}
