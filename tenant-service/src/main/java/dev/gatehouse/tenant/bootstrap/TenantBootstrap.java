package dev.gatehouse.tenant.bootstrap;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.app.InvalidConfigurationException;
import dev.gatehouse.kit.bootstrap.BootstrapDocument;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.tenant.group.GroupService;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.membership.MembershipService;
import dev.gatehouse.tenant.organization.Organization;
import dev.gatehouse.tenant.organization.OrganizationService;
import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import dev.gatehouse.tenant.rbac.RoleService;
import dev.gatehouse.tenant.rbac.Roles;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Applies tenant-service's sections of the bootstrap file ({@code organizations}, {@code roles}, {@code groups},
 * {@code memberships}; docs/bootstrap.md) at startup, idempotently and in one transaction: each declared item is
 * created if absent, updated if it differs (with its event) and left alone (not even {@code updatedAt}) if it
 * matches. Nothing absent from the file is deleted. Organizations are named by slug. A file that does not fit (a
 * typo, an unknown role, a group of an undeclared organization) stops startup with one line per problem.
 */
@Context
@Requires(property = "gatehouse.bootstrap.file")
public class TenantBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(TenantBootstrap.class);
    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    record DeclaredOrganization(String slug, String displayName, String logoUrl, String primaryColor,
                                String accentColor) {
    }

    record DeclaredRole(String organization, String key, String displayName, String description,
                        List<String> permissions) {
    }

    record DeclaredGroup(String organization, String name, String description, List<String> roles,
                         RateLimitPolicy rateLimit) {
    }

    record DeclaredMembership(String organization, String userId, List<String> roles, List<String> groups) {
    }

    public TenantBootstrap(@Value("${gatehouse.bootstrap.file}") String file, Db db,
                           OrganizationService organizations, RoleService roles, GroupService groups,
                           MembershipService memberships) {
        BootstrapDocument document = BootstrapDocument.load(Path.of(file));
        List<DeclaredOrganization> orgs = document.section("organizations", TenantBootstrap::organization);
        List<DeclaredRole> declaredRoles = document.section("roles", TenantBootstrap::role);
        List<DeclaredGroup> declaredGroups = document.section("groups", TenantBootstrap::group);
        List<DeclaredMembership> declaredMembers = document.section("memberships", TenantBootstrap::membership);
        Map<String, Integer> outcomes = new TreeMap<>();
        try {
            db.write(c -> {
                for (DeclaredOrganization o : orgs) {
                    outcomes.merge("organizations " + applyOrganization(c, organizations, o), 1, Integer::sum);
                }
                for (DeclaredRole r : declaredRoles) {
                    OrgId org = organization(c, organizations, r.organization(), "roles");
                    RoleService.SaveOutcome outcome = roles.replace(c, org, r.key(), r.displayName(),
                            r.description(), r.permissions());
                    if (outcome instanceof RoleService.NotFound) {
                        outcome = roles.insert(c, org, r.key(), r.displayName(), r.description(), r.permissions());
                    }
                    outcomes.merge("roles " + name(outcome), 1, Integer::sum);
                }
                for (DeclaredGroup g : declaredGroups) {
                    OrgId org = organization(c, organizations, g.organization(), "groups");
                    var spec = new GroupService.Spec(g.name(), g.description(), g.roles(), g.rateLimit());
                    var existing = groups.findByName(c, org, g.name());
                    var outcome = existing.isPresent() ? groups.replace(c, org, existing.get().id(), spec)
                            : groups.insert(c, org, spec);
                    outcomes.merge("groups " + name(outcome), 1, Integer::sum);
                }
                for (DeclaredMembership m : declaredMembers) {
                    OrgId org = organization(c, organizations, m.organization(), "memberships");
                    UserId user = new UserId(m.userId());
                    var outcome = memberships.grant(c, org, user,
                            Roles.require(c, org, m.roles(), "roles", false));
                    outcomes.merge("memberships " + outcome.getClass().getSimpleName().toLowerCase(), 1,
                            Integer::sum);
                    for (String groupName : m.groups()) {
                        var group = groups.findByName(c, org, groupName).orElseThrow(() -> new InvalidConfigurationException(
                                List.of("bootstrap file " + file + ": memberships: organization '" + m.organization()
                                        + "' has no group '" + groupName + "'")));
                        groups.addMember(c, org, group.id(), user);
                    }
                }
                return null;
            });
        } catch (ProblemException e) {
            // a declared value the API would refuse (an unknown role, a bad URL...)
            throw new InvalidConfigurationException(List.of("bootstrap file " + file + ": " + e.getMessage()
                    + (e.errors().isEmpty() ? "" : " " + e.errors())));
        }
        LOG.info("bootstrap file {}: {}", document.path(), outcomes);
    }

    private static String applyOrganization(Connection c, OrganizationService organizations, DeclaredOrganization o)
            throws SQLException {
        Optional<Organization> existing = organizations.findBySlug(c, o.slug());
        var settings = new OrganizationService.Settings(o.slug(), o.displayName(), o.logoUrl(), o.primaryColor(),
                o.accentColor(), existing.map(Organization::metadata).orElse(Map.of()));
        if (existing.isEmpty()) {
            organizations.insert(c, settings, null, null);
            return "created";
        }
        var outcome = organizations.apply(c, existing.get(), settings);
        return outcome instanceof OrganizationService.Updated(Organization ignored, boolean changed) && changed
                ? "updated" : "unchanged";
    }

    private static OrgId organization(Connection c, OrganizationService organizations, String slug, String section)
            throws SQLException {
        return organizations.findBySlug(c, slug).map(Organization::orgId).orElseThrow(() ->
                new InvalidConfigurationException(List.of("bootstrap file: " + section + ": no organization with slug '"
                        + slug + "' (declare it under organizations)")));
    }

    private static String name(Object outcome) {
        return switch (outcome) {
            case RoleService.Saved s -> s.created() ? "created" : "updated";
            case GroupService.Saved s -> s.created() ? "created" : "updated";
            case RoleService.Unchanged u -> "unchanged";
            case GroupService.Unchanged u -> "unchanged";
            default -> throw new InvalidConfigurationException(List.of("bootstrap file: cannot apply: "
                    + outcome.getClass().getSimpleName()));
        };
    }

    static DeclaredOrganization organization(BootstrapDocument.Entry e) {
        var o = new DeclaredOrganization(e.string("slug"), e.string("displayName"), e.string("logoUrl"),
                e.string("primaryColor"), e.string("accentColor"));
        e.rejectUnknownKeys();
        if (o.slug() == null || !SLUG.matcher(o.slug()).matches()) {
            e.problem("slug", "must be 1-63 lowercase letters, digits or inner hyphens");
        }
        if (o.displayName() == null || o.displayName().isBlank() || o.displayName().length() > 200) {
            e.problem("displayName", "must be 1-200 characters");
        }
        for (var color : new String[][]{{"primaryColor", o.primaryColor()}, {"accentColor", o.accentColor()}}) {
            if (color[1] != null && !color[1].matches("#[0-9a-fA-F]{6}")) {
                e.problem(color[0], "must be a colour like #1a2b3c");
            }
        }
        return o;
    }

    static DeclaredRole role(BootstrapDocument.Entry e) {
        List<String> permissions = e.strings("permissions");
        var r = new DeclaredRole(e.string("organization"), e.string("key"), e.string("displayName"),
                e.string("description"), permissions == null ? List.of() : permissions);
        e.rejectUnknownKeys();
        required(e, "organization", r.organization());
        if (r.key() == null || !r.key().matches("[a-z][a-z0-9_-]{0,39}")
                || dev.gatehouse.tenant.rbac.BuiltInRole.isBuiltIn(r.key())) {
            e.problem("key", "must be 1-40 of a-z, 0-9, _ and -, starting with a letter, and not a built-in role");
        }
        required(e, "displayName", r.displayName());
        return r;
    }

    static DeclaredGroup group(BootstrapDocument.Entry e) {
        List<String> roles = e.strings("roles");
        Integer requests = e.integer("rateLimitRequests");
        Integer window = e.integer("rateLimitWindowSeconds");
        Integer burst = e.integer("rateLimitBurst");
        RateLimitPolicy limit = null;
        if (requests != null || window != null || burst != null) {
            if (requests == null || window == null) {
                e.problem("rateLimitRequests", "rateLimitRequests and rateLimitWindowSeconds go together");
            } else {
                try {
                    limit = new RateLimitPolicy(requests, window, burst == null ? requests : burst);
                } catch (IllegalArgumentException ex) {
                    e.problem("rateLimitRequests", ex.getMessage());
                }
            }
        }
        var g = new DeclaredGroup(e.string("organization"), e.string("name"), e.string("description"),
                roles == null ? List.of() : roles, limit);
        e.rejectUnknownKeys();
        required(e, "organization", g.organization());
        required(e, "name", g.name());
        return g;
    }

    static DeclaredMembership membership(BootstrapDocument.Entry e) {
        List<String> roles = e.strings("roles");
        List<String> groups = e.strings("groups");
        var m = new DeclaredMembership(e.string("organization"), e.string("userId"),
                roles == null ? List.of() : roles, groups == null ? List.of() : groups);
        e.rejectUnknownKeys();
        required(e, "organization", m.organization());
        if (m.userId() == null || !m.userId().matches("[A-Za-z0-9_-]{1,64}")) {
            e.problem("userId", "must be a user id (1-64 of A-Z a-z 0-9 _ -)");
        }
        if (m.roles().isEmpty()) {
            e.problem("roles", "must list at least one role");
        }
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (String group : m.groups()) {
            if (!seen.add(group)) {
                duplicates.add(group);
            }
        }
        if (!duplicates.isEmpty()) {
            e.problem("groups", "lists " + duplicates + " twice");
        }
        return m;
    }

    private static void required(BootstrapDocument.Entry e, String key, String value) {
        if (value == null || value.isBlank()) {
            e.problem(key, "is required");
        }
    }
}
