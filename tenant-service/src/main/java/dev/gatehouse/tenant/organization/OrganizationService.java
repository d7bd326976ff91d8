package dev.gatehouse.tenant.organization;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.tenant.OrganizationArchived;
import dev.gatehouse.contract.event.tenant.OrganizationCreated;
import dev.gatehouse.contract.event.tenant.OrganizationUpdated;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.id.Ids;
import dev.gatehouse.kit.outbox.Outbox;
import dev.gatehouse.tenant.apikey.ApiKeyService;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import dev.gatehouse.tenant.membership.MembershipService;
import dev.gatehouse.tenant.rbac.BuiltInRole;
import dev.gatehouse.tenant.rbac.RbacChanges;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Organizations (tenants): rows, not realms, so tens of thousands cost nothing special. Every change records its
 * event ({@code OrganizationCreated}, {@code OrganizationUpdated}, {@code OrganizationArchived}) in the same
 * transaction.
 */
@Singleton
public class OrganizationService {
    private static final Logger LOG = LoggerFactory.getLogger(OrganizationService.class);
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private final Db db;
    private final Outbox outbox;
    private final MembershipService memberships;
    private final ApiKeyService keys;
    private final RbacChanges changes;
    private final JsonMapper json;
    private final Clock clock;

    public OrganizationService(Db db, Outbox outbox, MembershipService memberships, ApiKeyService keys,
                               RbacChanges changes, JsonMapper json, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.memberships = memberships;
        this.keys = keys;
        this.changes = changes;
        this.json = json;
        this.clock = clock;
    }

    /** The settings of a new or changed organization. */
    public record Settings(String slug, String displayName, String logoUrl, String primaryColor, String accentColor,
                           Map<String, String> metadata) {
        public Settings {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }

    /** What creating an organization can come to. */
    public sealed interface CreateOutcome permits Created, SlugTaken {
    }

    public record Created(Organization organization) implements CreateOutcome {
    }

    public record SlugTaken(String slug) implements CreateOutcome {
    }

    /**
     * Creates the organization and records {@code OrganizationCreated} in the same transaction; a user who creates
     * one becomes its admin ({@code MembershipAdded}).
     */
    public CreateOutcome create(Settings settings, Optional<UserId> admin) {
        OrganizationRules.check(settings.logoUrl(), settings.metadata());
        return db.write(c -> {
            CreateOutcome outcome = insert(c, settings, null, null);
            if (outcome instanceof Created(Organization organization) && admin.isPresent()) {
                memberships.grant(c, organization.orgId(), admin.get(), List.of(BuiltInRole.ADMIN.key()));
            }
            return outcome;
        });
    }

    /** Inside the caller's transaction. */
    public CreateOutcome insert(Connection c, Settings s, String externalIssuer, String externalId)
            throws SQLException {
        var id = new OrgId(Ids.next("org", clock));
        // PostgreSQL keeps microseconds; truncate so that what we return is what a later read returns.
        Instant now = now();
        int inserted = Sql.update(c, """
                insert into organization (id, slug, display_name, logo_url, primary_color, accent_color, metadata,
                                          created_at, updated_at, external_issuer, external_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict do nothing""", id.value(), s.slug(), s.displayName(), blankToNull(s.logoUrl()),
                blankToNull(s.primaryColor()), blankToNull(s.accentColor()), new Sql.Json(write(s.metadata())),
                now, now, externalIssuer, externalId);
        if (inserted == 0) {
            return new SlugTaken(s.slug());
        }
        outbox.record(Events.ORGANIZATION_CREATED, id, new OrganizationCreated(id, s.slug(), s.displayName()));
        LOG.info("created organization {} ({})", id, s.slug());
        return new Created(new Organization(id.value(), s.slug(), s.displayName(), blankToNull(s.logoUrl()),
                blankToNull(s.primaryColor()), blankToNull(s.accentColor()), s.metadata(), now, now, null,
                externalIssuer, externalId));
    }

    public sealed interface UpdateOutcome permits Updated, UpdateSlugTaken, NotFound, IsArchived {
    }

    /** @param changed false when the request changed nothing (no event, {@code updatedAt} kept) */
    public record Updated(Organization organization, boolean changed) implements UpdateOutcome {
    }

    public record UpdateSlugTaken(String slug) implements UpdateOutcome {
    }

    public record NotFound() implements UpdateOutcome {
    }

    public record IsArchived() implements UpdateOutcome {
    }

    /** Applies the fields given (null keeps a field; an empty string clears an optional one). */
    public UpdateOutcome update(OrgId id, UpdateOrganizationRequest change) {
        OrganizationRules.check(change.logoUrl(), change.metadata());
        return db.write(c -> {
            Optional<Organization> found = find(c, id, true);
            if (found.isEmpty()) {
                return new NotFound();
            }
            Organization before = found.get();
            if (before.archived()) {
                return new IsArchived();
            }
            var after = new Settings(or(change.slug(), before.slug()),
                    change.displayName() == null ? before.displayName() : change.displayName().strip(),
                    change.logoUrl() == null ? before.logoUrl() : blankToNull(change.logoUrl()),
                    change.primaryColor() == null ? before.primaryColor() : blankToNull(change.primaryColor()),
                    change.accentColor() == null ? before.accentColor() : blankToNull(change.accentColor()),
                    change.metadata() == null ? before.metadata() : change.metadata());
            return apply(c, before, after);
        });
    }

    /** Inside the caller's transaction, the row locked; leaves an identical organization untouched. */
    public UpdateOutcome apply(Connection c, Organization before, Settings after) throws SQLException {
        if (before.slug().equals(after.slug()) && before.displayName().equals(after.displayName())
                && Objects.equals(before.logoUrl(), after.logoUrl())
                && Objects.equals(before.primaryColor(), after.primaryColor())
                && Objects.equals(before.accentColor(), after.accentColor())
                && before.metadata().equals(after.metadata())) {
            return new Updated(before, false);
        }
        if (!before.slug().equals(after.slug()) && Sql.count(c,
                "select count(*) from organization where slug = ?", after.slug()) > 0) {
            return new UpdateSlugTaken(after.slug());
        }
        Instant now = now();
        Sql.update(c, """
                update organization set slug = ?, display_name = ?, logo_url = ?, primary_color = ?,
                    accent_color = ?, metadata = ?, updated_at = ?
                where id = ?""", after.slug(), after.displayName(), after.logoUrl(), after.primaryColor(),
                after.accentColor(), new Sql.Json(write(after.metadata())), now, before.id());
        OrgId id = before.orgId();
        outbox.record(Events.ORGANIZATION_UPDATED, id, new OrganizationUpdated(id, after.slug(),
                after.displayName(), after.logoUrl(), after.primaryColor(), after.accentColor(), after.metadata()));
        return new Updated(new Organization(before.id(), after.slug(), after.displayName(), after.logoUrl(),
                after.primaryColor(), after.accentColor(), after.metadata(), before.createdAt(), now, null,
                before.externalIssuer(), before.externalId()), true);
    }

    /**
     * Archives the organization: read-only from now on, its API keys revoked, no token can be minted for it.
     * Idempotent; empty when there is no such organization.
     */
    public Optional<Organization> archive(OrgId id) {
        return db.write(c -> {
            Optional<Organization> found = find(c, id, true);
            if (found.isEmpty() || found.get().archived()) {
                return found;
            }
            Instant now = now();
            Sql.update(c, "update organization set archived_at = ?, updated_at = ? where id = ?", now, now,
                    id.value());
            keys.revokeAll(c, id);
            outbox.record(Events.ORGANIZATION_ARCHIVED, id, new OrganizationArchived(id, now));
            changes.changed(c, id);
            LOG.info("archived organization {}", id);
            Organization o = found.get();
            return Optional.of(new Organization(o.id(), o.slug(), o.displayName(), o.logoUrl(), o.primaryColor(),
                    o.accentColor(), o.metadata(), o.createdAt(), now, now, o.externalIssuer(), o.externalId()));
        });
    }

    /**
     * The tenant for {@code externalId} of a trusted {@code issuer}, created on first sight with default settings:
     * exactly once however many callers race (they meet at the unique index on (issuer, externalId)).
     *
     * @return the organization and whether this call created it
     */
    public Provisioned provision(String issuer, String externalId) {
        return db.write(c -> {
            String digest = digest(issuer + "\n" + externalId);
            for (int length = 16; ; length += 8) {
                String slug = "ext-" + digest.substring(0, length);
                var settings = new Settings(slug, externalId, null, null, null, Map.of());
                CreateOutcome outcome = insert(c, settings, issuer, externalId);
                if (outcome instanceof Created(Organization created)) {
                    return new Provisioned(created, true);
                }
                Optional<Organization> existing = Sql.one(c,
                        "select * from organization where external_issuer = ? and external_id = ?",
                        this::organization, issuer, externalId);
                if (existing.isPresent()) {
                    return new Provisioned(existing.get(), false);
                }
                if (length >= digest.length()) {
                    throw new IllegalStateException("no free slug for a provisioned organization");
                }
            }
        });
    }

    public record Provisioned(Organization organization, boolean created) {
    }

    public Optional<Organization> find(OrgId id) {
        return db.read(c -> find(c, id, false));
    }

    public Optional<Organization> findBySlug(Connection c, String slug) throws SQLException {
        return Sql.one(c, "select * from organization where slug = ? for no key update", this::organization, slug);
    }

    private Optional<Organization> find(Connection c, OrgId id, boolean lock) throws SQLException {
        return Sql.one(c, "select * from organization where id = ?" + (lock ? " for no key update" : ""),
                this::organization, id.value());
    }

    /** Every organization by id (platform admins). */
    public Page<OrganizationView> list(Paging paging, boolean includeArchived) {
        List<Organization> rows = db.read(c -> Sql.list(c, "select * from organization where id > ?"
                        + (includeArchived ? "" : " and archived_at is null") + " order by id limit ?",
                this::organization, paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, Organization::id, OrganizationView::of);
    }

    /** The user's active organizations by id. */
    public Page<OrganizationView> listFor(UserId user, Paging paging) {
        List<Organization> rows = db.read(c -> Sql.list(c, """
                select o.* from membership m join organization o on o.id = m.organization_id
                where m.user_id = ? and m.organization_id > ? and o.archived_at is null
                order by m.organization_id limit ?""", this::organization, user.value(), paging.afterOrEmpty(),
                paging.fetch()));
        return paging.page(rows, Organization::id, OrganizationView::of);
    }

    Organization organization(ResultSet rs) throws SQLException {
        Map<String, String> metadata;
        try {
            metadata = json.readValue(rs.getString("metadata"), Argument.mapOf(String.class, String.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Organization(rs.getString("id"), rs.getString("slug"), rs.getString("display_name"),
                rs.getString("logo_url"), rs.getString("primary_color"), rs.getString("accent_color"), metadata,
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), Sql.instant(rs, "archived_at"),
                rs.getString("external_issuer"), rs.getString("external_id"));
    }

    private String write(Map<String, String> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            var out = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                out.append(BASE32[hash[i] & 31]);
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
