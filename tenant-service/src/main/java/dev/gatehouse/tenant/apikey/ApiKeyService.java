package dev.gatehouse.tenant.apikey;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.tenant.ApiKeyCreated;
import dev.gatehouse.contract.event.tenant.ApiKeyRevoked;
import dev.gatehouse.contract.event.tenant.ApiKeyUpdated;
import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.id.Ids;
import dev.gatehouse.kit.outbox.Outbox;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import dev.gatehouse.tenant.organization.OrganizationGuard;
import dev.gatehouse.tenant.rbac.BuiltInRole;
import dev.gatehouse.tenant.rbac.EffectivePermissions;
import dev.gatehouse.tenant.rbac.RbacConfig;
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
 * API keys (seed 001), per organization and scoped to a user group: the group's roles give the permissions (never
 * admin-only ones), its policy the rate limit. Every change of a key's effective state is published on the compacted
 * topic {@code gatehouse.tenant.api-key.v1} ({@code ApiKeyCreated}/{@code ApiKeyUpdated}/{@code ApiKeyRevoked}),
 * from which gateway-edge keeps its in-memory key table.
 */
@Singleton
public class ApiKeyService {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);
    private final Db db;
    private final Outbox outbox;
    private final EffectivePermissions effective;
    private final RbacConfig rbac;
    private final Clock clock;

    public ApiKeyService(Db db, Outbox outbox, EffectivePermissions effective, RbacConfig rbac, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.effective = effective;
        this.rbac = rbac;
        this.clock = clock;
    }

    public sealed interface CreateOutcome permits Created, NoSuchGroup, GroupGrantsAdmin, ExpiryInPast {
    }

    public record Created(ApiKey key, String secret) implements CreateOutcome {
    }

    public record NoSuchGroup() implements CreateOutcome {
    }

    public record GroupGrantsAdmin() implements CreateOutcome {
    }

    public record ExpiryInPast() implements CreateOutcome {
    }

    /** What a key is allowed: its group's permissions without admin-only ones, and the group's rate limit. */
    record KeyState(List<String> permissions, RateLimitPolicy rateLimit) {
    }

    public CreateOutcome create(OrgId organization, String groupId, String name, Instant expiresAt, String createdBy) {
        Instant now = now();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return new ExpiryInPast();
        }
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            Optional<List<String>> groupRoles = Sql.one(c,
                    "select roles from user_group where id = ? and organization_id = ?",
                    rs -> Sql.strings(rs, "roles"), groupId, organization.value());
            if (groupRoles.isEmpty()) {
                return new NoSuchGroup();
            }
            if (groupRoles.get().contains(BuiltInRole.ADMIN.key())) {
                return new GroupGrantsAdmin();
            }
            ApiKeySecrets.Minted minted = ApiKeySecrets.mint();
            String hash = ApiKeySecrets.hash(minted.key());
            var key = new ApiKey(Ids.next("key", clock), organization.value(), groupId, name.strip(),
                    minted.prefix(), createdBy, now, expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS),
                    null, null);
            Sql.update(c, """
                    insert into api_key (id, organization_id, group_id, name, prefix, secret_hash, created_by,
                                         created_at, expires_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", key.id(), key.organizationId(), groupId, key.name(),
                    key.prefix(), hash, createdBy, now, key.expiresAt());
            KeyState state = state(c, organization, groupId);
            outbox.record(Events.API_KEY_CREATED, organization, new ApiKeyCreated(key.id(), organization, groupId,
                    key.prefix(), hash, state.permissions(), state.rateLimit(), key.expiresAt()));
            LOG.info("created API key {} ({}) in organization {}", key.id(), key.prefix(), organization);
            return new Created(key, minted.key());
        });
    }

    public Page<ApiKeyView> list(OrgId organization, Paging paging) {
        Instant now = clock.instant();
        List<ApiKey> rows = db.read(c -> Sql.list(c, """
                select * from api_key where organization_id = ? and id > ? order by id limit ?""",
                ApiKeyService::apiKey, organization.value(), paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, ApiKey::id, k -> ApiKeyView.of(k, now));
    }

    public Optional<ApiKey> find(OrgId organization, String keyId) {
        return db.read(c -> Sql.one(c, "select * from api_key where organization_id = ? and id = ?",
                ApiKeyService::apiKey, organization.value(), keyId));
    }

    /** Revokes the key (idempotent); false when the organization has no such key. */
    public boolean revoke(OrgId organization, String keyId) {
        return db.write(c -> {
            Optional<ApiKey> key = Sql.one(c, "select * from api_key where organization_id = ? and id = ? for update",
                    ApiKeyService::apiKey, organization.value(), keyId);
            if (key.isEmpty()) {
                return false;
            }
            if (key.get().revokedAt() == null) {
                revoke(c, organization, key.get().id());
            }
            return true;
        });
    }

    /** Revokes every live key of the organization (it is being archived). */
    public void revokeAll(Connection c, OrgId organization) throws SQLException {
        for (String id : Sql.list(c, "select id from api_key where organization_id = ? and revoked_at is null",
                rs -> rs.getString(1), organization.value())) {
            revoke(c, organization, id);
        }
    }

    /** Revokes every live key of the group (it is being deleted). */
    public void revokeGroup(Connection c, OrgId organization, String groupId) throws SQLException {
        for (String id : Sql.list(c, "select id from api_key where group_id = ? and revoked_at is null",
                rs -> rs.getString(1), groupId)) {
            revoke(c, organization, id);
        }
    }

    private void revoke(Connection c, OrgId organization, String keyId) throws SQLException {
        Instant now = now();
        Sql.update(c, "update api_key set revoked_at = ? where id = ?", now, keyId);
        outbox.record(Events.API_KEY_REVOKED, organization, new ApiKeyRevoked(keyId, organization, now));
        LOG.info("revoked API key {} of organization {}", keyId, organization);
    }

    /** Republishes the state of every live key of the groups (their roles, a role's permissions or the limit changed). */
    public void refreshGroups(Connection c, OrgId organization, List<String> groupIds) throws SQLException {
        if (groupIds.isEmpty()) {
            return;
        }
        record Live(String id, String groupId, String prefix, String hash, Instant expiresAt) {
        }
        List<Live> keys = Sql.list(c, """
                select id, group_id, prefix, secret_hash, expires_at from api_key
                where group_id = any(?) and revoked_at is null order by id""",
                rs -> new Live(rs.getString("id"), rs.getString("group_id"), rs.getString("prefix"),
                        rs.getString("secret_hash"), Sql.instant(rs, "expires_at")), groupIds);
        for (Live key : keys) {
            KeyState state = state(c, organization, key.groupId());
            outbox.record(Events.API_KEY_UPDATED, organization, new ApiKeyUpdated(key.id(), organization,
                    key.groupId(), key.prefix(), key.hash(), state.permissions(), state.rateLimit(), key.expiresAt()));
        }
    }

    /** Stores when gateways last saw keys used (the later of the stored and the reported time). */
    public void recordUsage(List<Usage> usage) {
        db.write(c -> {
            for (Usage u : usage) {
                Sql.update(c, """
                        update api_key set last_used_at = greatest(coalesce(last_used_at, ?), ?) where id = ?""",
                        u.lastUsedAt(), u.lastUsedAt(), u.keyId());
            }
            return null;
        });
    }

    /** One key's last use, reported by a gateway. */
    public record Usage(String keyId, Instant lastUsedAt) {
    }

    private KeyState state(Connection c, OrgId organization, String groupId) throws SQLException {
        record Group(List<String> roles, Integer requests, Integer window, Integer burst) {
        }
        Group group = Sql.one(c, """
                select roles, rate_limit_requests, rate_limit_window_seconds, rate_limit_burst
                from user_group where id = ?""",
                rs -> new Group(Sql.strings(rs, "roles"), Sql.integer(rs, "rate_limit_requests"),
                        Sql.integer(rs, "rate_limit_window_seconds"), Sql.integer(rs, "rate_limit_burst")), groupId)
                .orElseThrow();
        var permissions = new TreeSet<>(effective.permissionsOf(c, organization, group.roles()));
        permissions.removeAll(rbac.adminOnly());
        RateLimitPolicy limit = group.requests() == null ? null
                : new RateLimitPolicy(group.requests(), group.window(), group.burst());
        return new KeyState(List.copyOf(permissions), limit);
    }

    static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("organization_id"), rs.getString("group_id"),
                rs.getString("name"), rs.getString("prefix"), rs.getString("created_by"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "last_used_at"),
                Sql.instant(rs, "revoked_at"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
