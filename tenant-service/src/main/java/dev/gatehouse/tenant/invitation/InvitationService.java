package dev.gatehouse.tenant.invitation;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.tenant.InvitationAccepted;
import dev.gatehouse.contract.event.tenant.InvitationCreated;
import dev.gatehouse.contract.event.tenant.InvitationReissued;
import dev.gatehouse.contract.event.tenant.InvitationRevoked;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.id.Ids;
import dev.gatehouse.kit.outbox.Outbox;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.sql.Db;
import dev.gatehouse.tenant.internal.sql.Sql;
import dev.gatehouse.tenant.membership.MembershipService;
import dev.gatehouse.tenant.organization.OrganizationGuard;
import dev.gatehouse.tenant.rbac.Roles;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Invitations by email: an admin invites an address with a role; identity-service emails the signed token
 * ({@code InvitationCreated}); the invitee accepts it once, at sign-up or signed in. A resend replaces the token (the
 * old one stops working) and extends the expiry; a revoke ends it.
 */
@Singleton
public class InvitationService {
    private static final Logger LOG = LoggerFactory.getLogger(InvitationService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Db db;
    private final Outbox outbox;
    private final InvitationTokens tokens;
    private final InvitationConfig config;
    private final MembershipService memberships;
    private final Clock clock;

    public InvitationService(Db db, Outbox outbox, InvitationTokens tokens, InvitationConfig config,
                             MembershipService memberships, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.tokens = tokens;
        this.config = config;
        this.memberships = memberships;
        this.clock = clock;
    }

    public sealed interface CreateOutcome permits Sent, AlreadyInvited {
    }

    public record Sent(Invitation invitation, String token) implements CreateOutcome {
    }

    public record AlreadyInvited() implements CreateOutcome {
    }

    public CreateOutcome create(OrgId organization, String email, String role, String invitedBy) {
        String address = normalise(email);
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            String checkedRole = Roles.require(c, organization, List.of(role), "role", false).get(0);
            Instant now = now();
            if (Sql.count(c, """
                    select count(*) from invitation where organization_id = ? and email = ? and accepted_at is null
                    and revoked_at is null and expires_at > ?""", organization.value(), address, now) > 0) {
                return new AlreadyInvited();
            }
            var invitation = new Invitation(Ids.next("inv", clock), organization.value(), address, checkedRole,
                    nonce(), invitedBy, now, now.plus(config.ttl()), null, null, null);
            Sql.update(c, """
                    insert into invitation (id, organization_id, email, role, nonce, invited_by, created_at, expires_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""", invitation.id(), invitation.organizationId(), address,
                    checkedRole, invitation.nonce(), invitedBy, now, invitation.expiresAt());
            String token = sign(invitation);
            outbox.record(Events.INVITATION_CREATED, organization, new InvitationCreated(invitation.id(), organization,
                    organizationName(c, organization), address, checkedRole, invitation.type(), token,
                    invitation.expiresAt(), invitedBy));
            LOG.info("invited to organization {} as {} (invitation {})", organization, checkedRole, invitation.id());
            return new Sent(invitation, token);
        });
    }

    public sealed interface ChangeOutcome permits Changed, NotFound, NotPending {
    }

    public record Changed(Invitation invitation, String token) implements ChangeOutcome {
    }

    public record NotFound() implements ChangeOutcome {
    }

    public record NotPending(String status) implements ChangeOutcome {
    }

    /** A fresh token (the previous one stops working) and a new expiry; {@code InvitationReissued}. */
    public ChangeOutcome resend(OrgId organization, String id) {
        return db.write(c -> {
            OrganizationGuard.lockActive(c, organization);
            Optional<Invitation> found = find(c, organization, id, true);
            if (found.isEmpty()) {
                return new NotFound();
            }
            Invitation before = found.get();
            if (before.acceptedAt() != null || before.revokedAt() != null) {
                return new NotPending(before.status(clock.instant()));
            }
            Instant now = now();
            var after = new Invitation(before.id(), before.organizationId(), before.email(), before.role(), nonce(),
                    before.invitedBy(), before.createdAt(), now.plus(config.ttl()), null, null, null);
            Sql.update(c, "update invitation set nonce = ?, expires_at = ? where id = ?", after.nonce(),
                    after.expiresAt(), id);
            String token = sign(after);
            outbox.record(Events.INVITATION_REISSUED, organization, new InvitationReissued(id, organization,
                    organizationName(c, organization), after.email(), after.role(), after.type(), token,
                    after.expiresAt(), after.invitedBy()));
            return new Changed(after, token);
        });
    }

    /** Ends a pending invitation; {@code InvitationRevoked}. */
    public ChangeOutcome revoke(OrgId organization, String id) {
        return db.write(c -> {
            Optional<Invitation> found = find(c, organization, id, true);
            if (found.isEmpty()) {
                return new NotFound();
            }
            Invitation before = found.get();
            if (before.acceptedAt() != null) {
                return new NotPending("accepted");
            }
            if (before.revokedAt() != null) {
                return new Changed(before, null);
            }
            Instant now = now();
            Sql.update(c, "update invitation set revoked_at = ? where id = ?", now, id);
            outbox.record(Events.INVITATION_REVOKED, organization, new InvitationRevoked(id, organization));
            return new Changed(new Invitation(before.id(), before.organizationId(), before.email(), before.role(),
                    before.nonce(), before.invitedBy(), before.createdAt(), before.expiresAt(), null, null, now), null);
        });
    }

    public sealed interface AcceptOutcome permits Accepted, InvalidToken, ExpiredToken, AlreadyUsed, NoLongerValid,
            WrongEmail, OrganizationArchived {
    }

    public record Accepted(InvitationView.Details details) implements AcceptOutcome {
    }

    public record InvalidToken() implements AcceptOutcome {
    }

    public record ExpiredToken() implements AcceptOutcome {
    }

    public record AlreadyUsed() implements AcceptOutcome {
    }

    /** Revoked, or replaced by a resend. */
    public record NoLongerValid() implements AcceptOutcome {
    }

    public record WrongEmail() implements AcceptOutcome {
    }

    public record OrganizationArchived() implements AcceptOutcome {
    }

    /** What the token invites to, without using it (identity-service shows it before sign-up). */
    public AcceptOutcome inspect(String token) {
        return switch (tokens.verify(token)) {
            case InvitationTokens.Invalid ignored -> new InvalidToken();
            case InvitationTokens.Expired ignored -> new ExpiredToken();
            case InvitationTokens.Valid(InvitationTokens.Claims claims) -> db.read(c -> {
                Optional<Invitation> found = find(c, new OrgId(claims.organizationId()), claims.invitationId(), false);
                if (found.isEmpty()) {
                    return new InvalidToken();
                }
                AcceptOutcome state = state(found.get(), claims);
                return state != null ? state : new Accepted(details(c, found.get()));
            });
        };
    }

    /**
     * Uses the token, once: the user (whose verified address must be the invited one) becomes a member with the
     * invited role, or gains it. A second use, a revoked or resent-over token, an expired or tampered one are
     * refused.
     */
    public AcceptOutcome accept(String token, UserId user, String email) {
        return switch (tokens.verify(token)) {
            case InvitationTokens.Invalid ignored -> new InvalidToken();
            case InvitationTokens.Expired ignored -> new ExpiredToken();
            case InvitationTokens.Valid(InvitationTokens.Claims claims) -> db.write(c -> {
                OrgId organization = OrgId.parseOrNull(claims.organizationId());
                if (organization == null) {
                    return new InvalidToken();
                }
                // the organization first, then the invitation: the order every membership change locks in
                Optional<Boolean> archived = Sql.one(c,
                        "select archived_at is not null from organization where id = ? for no key update",
                        rs -> rs.getBoolean(1), organization.value());
                Optional<Invitation> found = find(c, organization, claims.invitationId(), true);
                if (archived.isEmpty() || found.isEmpty()) {
                    return new InvalidToken();
                }
                Invitation invitation = found.get();
                AcceptOutcome state = state(invitation, claims);
                if (state != null) {
                    return state;
                }
                if (!invitation.email().equals(normalise(email))) {
                    return new WrongEmail();
                }
                if (archived.get()) {
                    return new OrganizationArchived();
                }
                Sql.update(c, "update invitation set accepted_at = ?, accepted_by = ? where id = ?", now(),
                        user.value(), invitation.id());
                memberships.grant(c, organization, user, List.of(invitation.role()));
                outbox.record(Events.INVITATION_ACCEPTED, organization,
                        new InvitationAccepted(invitation.id(), organization, user, invitation.role()));
                LOG.info("{} accepted invitation {} to organization {}", user, invitation.id(), organization);
                return new Accepted(details(c, invitation));
            });
        };
    }

    /** Null when the invitation can be used with these claims, otherwise why not. */
    private AcceptOutcome state(Invitation invitation, InvitationTokens.Claims claims) {
        if (!invitation.nonce().equals(claims.nonce()) || !invitation.role().equals(claims.role())) {
            return invitation.acceptedAt() != null ? new AlreadyUsed() : new NoLongerValid();
        }
        if (invitation.acceptedAt() != null) {
            return new AlreadyUsed();
        }
        if (invitation.revokedAt() != null) {
            return new NoLongerValid();
        }
        if (!invitation.expiresAt().isAfter(clock.instant())) {
            return new ExpiredToken();
        }
        return null;
    }

    public Page<InvitationView> list(OrgId organization, Paging paging) {
        Instant now = clock.instant();
        List<Invitation> rows = db.read(c -> Sql.list(c, """
                select * from invitation where organization_id = ? and id > ? order by id limit ?""",
                InvitationService::invitation, organization.value(), paging.afterOrEmpty(), paging.fetch()));
        return paging.page(rows, Invitation::id, i -> InvitationView.of(i, now));
    }

    public Optional<Invitation> find(OrgId organization, String id) {
        return db.read(c -> find(c, organization, id, false));
    }

    private static Optional<Invitation> find(Connection c, OrgId organization, String id, boolean lock)
            throws SQLException {
        return Sql.one(c, "select * from invitation where organization_id = ? and id = ?" + (lock ? " for update" : ""),
                InvitationService::invitation, organization.value(), id);
    }

    private InvitationView.Details details(Connection c, Invitation i) throws SQLException {
        return new InvitationView.Details(i.id(), i.organizationId(),
                organizationName(c, new OrgId(i.organizationId())), i.email(), i.role(), i.type(), i.expiresAt());
    }

    private static String organizationName(Connection c, OrgId organization) throws SQLException {
        return Sql.one(c, "select display_name from organization where id = ?", rs -> rs.getString(1),
                organization.value()).orElse("");
    }

    private String sign(Invitation i) {
        return tokens.sign(new InvitationTokens.Claims(i.id(), i.organizationId(), i.email(), i.role(), i.type(),
                i.nonce(), i.expiresAt()));
    }

    static String normalise(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static Invitation invitation(ResultSet rs) throws SQLException {
        return new Invitation(rs.getString("id"), rs.getString("organization_id"), rs.getString("email"),
                rs.getString("role"), rs.getString("nonce"), rs.getString("invited_by"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "accepted_at"),
                rs.getString("accepted_by"), Sql.instant(rs, "revoked_at"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
