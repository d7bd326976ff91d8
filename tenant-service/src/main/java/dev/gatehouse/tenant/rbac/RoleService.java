package dev.gatehouse.tenant.rbac;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Problem;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.apikey.ApiKeyService;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import dev.gatehouse.tenant.organization.OrganizationGuard;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Roles: the built-in viewer &lt; operator &lt; admin, and custom roles per organization (at most
 * {@value #MAX_CUSTOM_ROLES}) bundling permission names. Changing a custom role drops the organization's cached
 * permissions and republishes the API keys of the groups granting it.
 */
@Singleton
public class RoleService {
    public static final int MAX_CUSTOM_ROLES = 100;
    private final Db db;
    private final RbacConfig config;
    private final RbacChanges changes;
    private final ApiKeyService keys;
    private final Clock clock;

    public RoleService(Db db, RbacConfig config, RbacChanges changes, ApiKeyService keys, Clock clock) {
        this.db = db;
        this.config = config;
        this.changes = changes;
        this.keys = keys;
        this.clock = clock;
    }

    public sealed interface SaveOutcome permits Saved, Unchanged, KeyTaken, NotFound, BuiltIn, TooMany {
    }

    public record Saved(RoleView role, boolean created) implements SaveOutcome {
    }

    public record Unchanged(RoleView role) implements SaveOutcome {
    }

    public record KeyTaken(String key) implements SaveOutcome {
    }

    public record NotFound() implements SaveOutcome {
    }

    public record BuiltIn() implements SaveOutcome {
    }

    public record TooMany() implements SaveOutcome {
    }

    /** Every role of the organization, built-in first, then custom ones by key. */
    public List<RoleView> list(OrgId organization) {
        List<RoleView> roles = new ArrayList<>(Arrays.stream(BuiltInRole.values()).map(this::builtIn).toList());
        roles.addAll(db.read(c -> Sql.list(c, "select * from role where organization_id = ? order by key",
                RoleService::custom, organization.value())));
        return roles;
    }

    public Optional<RoleView> find(OrgId organization, String key) {
        Optional<BuiltInRole> builtIn = BuiltInRole.byKey(key);
        if (builtIn.isPresent()) {
            return Optional.of(builtIn(builtIn.get()));
        }
        return db.read(c -> Sql.one(c, "select * from role where organization_id = ? and key = ?",
                RoleService::custom, organization.value(), key));
    }

    public SaveOutcome create(OrgId organization, String key, String displayName, String description,
                              List<String> permissions) {
        if (BuiltInRole.isBuiltIn(key)) {
            return new KeyTaken(key);
        }
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            return insert(c, organization, key, displayName, description, permissions);
        });
    }

    /** Inside the caller's transaction, the organization locked. */
    public SaveOutcome insert(Connection c, OrgId organization, String key, String displayName, String description,
                              List<String> permissions) throws SQLException {
        List<String> checked = checked(permissions);
        if (Sql.count(c, "select count(*) from role where organization_id = ?", organization.value())
                >= MAX_CUSTOM_ROLES) {
            return new TooMany();
        }
        Instant now = now();
        int inserted = Sql.update(c, """
                insert into role (organization_id, key, display_name, description, permissions, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                organization.value(), key, displayName.strip(), description, checked, now, now);
        if (inserted == 0) {
            return new KeyTaken(key);
        }
        return new Saved(new RoleView(key, displayName.strip(), description, checked, false, now, now), true);
    }

    public SaveOutcome update(OrgId organization, String key, String displayName, String description,
                              List<String> permissions) {
        if (BuiltInRole.isBuiltIn(key)) {
            return new BuiltIn();
        }
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            return replace(c, organization, key, displayName, description, permissions);
        });
    }

    /** Inside the caller's transaction, the organization locked; leaves an identical role untouched. */
    public SaveOutcome replace(Connection c, OrgId organization, String key, String displayName, String description,
                               List<String> permissions) throws SQLException {
        List<String> checked = checked(permissions);
        Optional<RoleView> existing = Sql.one(c, "select * from role where organization_id = ? and key = ?",
                RoleService::custom, organization.value(), key);
        if (existing.isEmpty()) {
            return new NotFound();
        }
        RoleView before = existing.get();
        if (before.displayName().equals(displayName.strip()) && Objects.equals(before.description(), description)
                && before.permissions().equals(checked)) {
            return new Unchanged(before);
        }
        Instant now = now();
        Sql.update(c, """
                update role set display_name = ?, description = ?, permissions = ?, updated_at = ?
                where organization_id = ? and key = ?""", displayName.strip(), description, checked, now,
                organization.value(), key);
        if (!before.permissions().equals(checked)) {
            changes.changed(c, organization);
            keys.refreshGroups(c, organization, groupsGranting(c, organization, key));
        }
        return new Saved(new RoleView(key, displayName.strip(), description, checked, false, before.createdAt(), now),
                false);
    }

    public sealed interface DeleteOutcome permits Deleted, InUse, NoSuchRole, BuiltInRoleUntouchable {
    }

    public record Deleted() implements DeleteOutcome {
    }

    public record InUse() implements DeleteOutcome {
    }

    public record NoSuchRole() implements DeleteOutcome {
    }

    public record BuiltInRoleUntouchable() implements DeleteOutcome {
    }

    /** Deletes a custom role that no membership, group or pending invitation grants. */
    public DeleteOutcome delete(OrgId organization, String key) {
        if (BuiltInRole.isBuiltIn(key)) {
            return new BuiltInRoleUntouchable();
        }
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            if (Sql.count(c, "select count(*) from role where organization_id = ? and key = ?",
                    organization.value(), key) == 0) {
                return new NoSuchRole();
            }
            long uses = Sql.count(c, """
                    select (select count(*) from membership where organization_id = ? and ? = any(roles))
                         + (select count(*) from user_group where organization_id = ? and ? = any(roles))
                         + (select count(*) from invitation where organization_id = ? and role = ?
                               and accepted_at is null and revoked_at is null)""",
                    organization.value(), key, organization.value(), key, organization.value(), key);
            if (uses > 0) {
                return (DeleteOutcome) new InUse();
            }
            Sql.update(c, "delete from role where organization_id = ? and key = ?", organization.value(), key);
            changes.changed(c, organization);
            return (DeleteOutcome) new Deleted();
        });
    }

    private static List<String> groupsGranting(Connection c, OrgId organization, String key) throws SQLException {
        return Sql.list(c, "select id from user_group where organization_id = ? and ? = any(roles)",
                rs -> rs.getString(1), organization.value(), key);
    }

    private static List<String> checked(List<String> permissions) {
        var sorted = new TreeSet<String>();
        for (String permission : permissions) {
            if (!Permissions.isValid(permission)) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "permissions " + Permissions.RULE,
                        List.of(new Problem.FieldError("permissions", "'" + String.valueOf(permission) + "' "
                                + Permissions.RULE)));
            }
            sorted.add(permission);
        }
        return List.copyOf(sorted);
    }

    private RoleView builtIn(BuiltInRole role) {
        return new RoleView(role.key(), role.displayName(), role.description(),
                List.copyOf(config.permissionsOf(role)), true, null, null);
    }

    static RoleView custom(ResultSet rs) throws SQLException {
        return new RoleView(rs.getString("key"), rs.getString("display_name"), rs.getString("description"),
                Sql.strings(rs, "permissions"), false, Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
