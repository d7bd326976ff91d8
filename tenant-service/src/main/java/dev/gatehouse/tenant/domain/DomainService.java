package dev.gatehouse.tenant.domain;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import dev.gatehouse.tenant.membership.MembershipService;
import dev.gatehouse.tenant.organization.OrganizationGuard;
import dev.gatehouse.tenant.rbac.Roles;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.IDN;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Email domains of organizations, proven by a DNS TXT record {@code gatehouse-verification=<token>} at
 * {@code _gatehouse.<domain>}. A verified domain belongs to one organization at a time: sign-in discovery routes its
 * addresses to that organization (its SSO), and its users may join just-in-time.
 */
@Singleton
public class DomainService {
    public static final String RECORD_PREFIX = "gatehouse-verification=";
    private static final Logger LOG = LoggerFactory.getLogger(DomainService.class);
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Db db;
    private final DnsResolver dns;
    private final MembershipService memberships;
    private final DomainConfig config;
    private final Clock clock;

    public DomainService(Db db, DnsResolver dns, MembershipService memberships, DomainConfig config, Clock clock) {
        this.db = db;
        this.dns = dns;
        this.memberships = memberships;
        this.config = config;
        this.clock = clock;
    }

    /** The domain in lowercase ASCII (IDNs in punycode), or null when it is not a registrable-looking name. */
    public static String normalise(String domain) {
        if (domain == null) {
            return null;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain.strip(), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        String[] labels = ascii.split("\\.", -1);
        if (ascii.length() > 253 || labels.length < 2 || labels[labels.length - 1].matches("[0-9]+")) {
            return null;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return null;
            }
        }
        return ascii;
    }

    public sealed interface AddOutcome permits Added, AlreadyClaimed {
    }

    public record Added(Domain domain, boolean created) implements AddOutcome {
    }

    public record AlreadyClaimed() implements AddOutcome {
    }

    /** Claims {@code domain} (normalised) for the organization; idempotent. */
    public AddOutcome add(OrgId organization, String domain) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            if (Sql.count(c, "select count(*) from domain where domain = ? and verified_at is not null"
                    + " and organization_id <> ?", domain, organization.value()) > 0) {
                return new AlreadyClaimed();
            }
            byte[] token = new byte[16];
            RANDOM.nextBytes(token);
            int inserted = Sql.update(c, """
                    insert into domain (organization_id, domain, verification_token, created_at) values (?, ?, ?, ?)
                    on conflict do nothing""", organization.value(), domain, HexFormat.of().formatHex(token), now());
            return new Added(find(organization, domain, c).orElseThrow(), inserted == 1);
        });
    }

    public sealed interface VerifyOutcome permits Verified, RecordMissing, TakenByAnother, NoSuchDomain, DnsDown {
    }

    public record Verified(Domain domain) implements VerifyOutcome {
    }

    /** @param name where the record was looked for */
    public record RecordMissing(String name, String value) implements VerifyOutcome {
    }

    public record TakenByAnother() implements VerifyOutcome {
    }

    public record NoSuchDomain() implements VerifyOutcome {
    }

    public record DnsDown() implements VerifyOutcome {
    }

    /** Looks the TXT record up now (outside any transaction) and marks the domain verified when it is there. */
    public VerifyOutcome verify(OrgId organization, String domain) {
        Optional<Domain> found = db.read(c -> find(organization, domain, c));
        if (found.isEmpty()) {
            return new NoSuchDomain();
        }
        Domain d = found.get();
        if (d.verifiedAt() != null) {
            return new Verified(d);
        }
        List<String> records;
        try {
            records = dns.txtRecords(d.verification().name());
        } catch (DnsResolver.DnsUnavailableException e) {
            LOG.warn("DNS lookup for {} failed: {}", d.verification().name(), e.getMessage());
            return new DnsDown();
        }
        if (records.stream().map(String::strip).noneMatch(d.verification().value()::equals)) {
            return new RecordMissing(d.verification().name(), d.verification().value());
        }
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            if (Sql.count(c, "select count(*) from domain where domain = ? and verified_at is not null",
                    domain) > 0) {
                return (VerifyOutcome) new TakenByAnother();
            }
            Sql.update(c, "update domain set verified_at = ? where organization_id = ? and domain = ?", now(),
                    organization.value(), domain);
            LOG.info("organization {} verified the domain {}", organization, domain);
            return new Verified(find(organization, domain, c).orElseThrow());
        });
    }

    public boolean remove(OrgId organization, String domain) {
        return db.write(c -> Sql.update(c, "delete from domain where organization_id = ? and domain = ?",
                organization.value(), domain) > 0);
    }

    public Page<Domain> list(OrgId organization, Paging paging) {
        List<Domain> rows = db.read(c -> Sql.list(c, """
                select * from domain where organization_id = ? and domain > ? order by domain limit ?""",
                DomainService::domain, organization.value(), paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, Domain::domain, d -> d);
    }

    /** Sign-in discovery: the organization that verified the domain of this address (or domain). */
    public Optional<Discovery> discover(String domain) {
        return db.read(c -> Sql.one(c, """
                select d.domain, o.id, o.slug, o.display_name from domain d join organization o on o.id = d.organization_id
                where d.domain = ? and d.verified_at is not null and o.archived_at is null""",
                rs -> new Discovery(rs.getString("domain"), rs.getString("id"), rs.getString("slug"),
                        rs.getString("display_name"), config.jitRole()), domain));
    }

    /**
     * {@code GET /internal/v1/domains/{domain}}.
     *
     * @param jitRole the role a just-in-time member gets
     */
    @io.micronaut.serde.annotation.Serdeable
    public record Discovery(String domain, String organizationId, String organizationSlug, String organizationName,
                            String jitRole) {
    }

    public sealed interface JitOutcome permits Joined, DomainNotVerified {
    }

    public record Joined(MembershipService.PutOutcome membership) implements JitOutcome {
    }

    public record DomainNotVerified() implements JitOutcome {
    }

    /** Just-in-time membership: a user whose verified address is in a verified domain of the organization joins it. */
    public JitOutcome joinJustInTime(OrgId organization, UserId user, String email) {
        int at = email == null ? -1 : email.lastIndexOf('@');
        String domain = at < 0 ? null : normalise(email.substring(at + 1));
        if (domain == null) {
            return new DomainNotVerified();
        }
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            if (Sql.count(c, "select count(*) from domain where organization_id = ? and domain = ?"
                    + " and verified_at is not null", organization.value(), domain) == 0) {
                return new DomainNotVerified();
            }
            List<String> role = Roles.require(c, organization, List.of(config.jitRole()), "jitRole", false);
            return new Joined(memberships.grant(c, organization, user, role));
        });
    }

    private Optional<Domain> find(OrgId organization, String domain, java.sql.Connection c) throws SQLException {
        return Sql.one(c, "select * from domain where organization_id = ? and domain = ?", DomainService::domain,
                organization.value(), domain);
    }

    static Domain domain(ResultSet rs) throws SQLException {
        String name = rs.getString("domain");
        Instant verifiedAt = Sql.instant(rs, "verified_at");
        return new Domain(rs.getString("organization_id"), name, verifiedAt == null ? "pending" : "verified",
                new Domain.Verification("TXT", "_gatehouse." + name, RECORD_PREFIX + rs.getString("verification_token")),
                Sql.instant(rs, "created_at"), verifiedAt);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
