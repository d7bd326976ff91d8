package dev.gatehouse.identity.platform;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * tenant-service's internal API: a user's organizations and roles, email-domain discovery and just-in-time joins,
 * invitations. Not-found answers are empty results; refusals of invitations are {@link InvitationRefused}; anything
 * unexpected is {@link PlatformUnavailableException}.
 */
@Singleton
public class TenantClient {
    private static final int PAGE = 100;
    private static final int MAX_ORGANIZATIONS = 1_000;
    private final PlatformHttp http;
    private final PlatformConfig config;

    public TenantClient(PlatformHttp http, PlatformConfig config) {
        this.http = http;
        this.config = config;
    }

    /** One of a user's organizations. */
    @Serdeable
    public record UserOrganization(String id, String slug, String displayName, List<String> roles) {
    }

    @Serdeable
    record PageInfo(int limit, @Nullable String next) {
    }

    @Serdeable
    record OrganizationsPage(List<UserOrganization> data, PageInfo page) {
    }

    /** A member's effective roles and permissions in one organization. */
    @Serdeable
    public record Permissions(String organizationId, String userId, List<String> roles, List<String> permissions) {
    }

    /** The organization that verified an email domain. */
    @Serdeable
    public record DomainDiscovery(String domain, String organizationId, String organizationSlug,
                                  String organizationName, @Nullable String jitRole) {
    }

    @Serdeable
    record JitBody(String userId, String email) {
    }

    /** A just-in-time membership. */
    @Serdeable
    public record JitMembership(String organizationId, String userId, List<String> roles) {
    }

    @Serdeable
    record TokenBody(String token) {
    }

    @Serdeable
    record AcceptBody(String token, String userId, String email) {
    }

    /** What an invitation token invites to. {@code type} is {@code admin} or {@code member}. */
    @Serdeable
    public record Invitation(String invitationId, String organizationId, String organizationName, String email,
                             String role, String type, Instant expiresAt) implements InvitationAnswer {
    }

    /** tenant-service refused the invitation: its status (400 invalid/expired, 403 wrong email, 409 used) and why. */
    public record InvitationRefused(int status, String detail) implements InvitationAnswer {
    }

    public sealed interface InvitationAnswer permits Invitation, InvitationRefused {
    }

    /** Every organization the user belongs to (up to 1,000), in tenant-service's order. */
    public List<UserOrganization> organizationsOf(UserId user) {
        List<UserOrganization> all = new ArrayList<>();
        String after = null;
        do {
            String query = "?limit=" + PAGE + (after == null ? "" : "&after=" + SessionClient.enc(after));
            var answer = http.send("GET", url("/internal/v1/users/" + SessionClient.enc(user.value())
                    + "/organizations" + query), null);
            if (answer.status() == 404) {
                return List.of();
            }
            if (!answer.ok()) {
                throw PlatformHttp.unexpected("tenant-service (organizations of a user)", answer);
            }
            OrganizationsPage page = http.read(answer, OrganizationsPage.class);
            all.addAll(page.data());
            after = page.page() == null ? null : page.page().next();
        } while (after != null && all.size() < MAX_ORGANIZATIONS);
        return List.copyOf(all);
    }

    /** The user's roles and permissions in the organization; empty when not a member. */
    public Optional<Permissions> membership(OrgId organization, UserId user) {
        var answer = http.send("GET", url("/internal/v1/organizations/" + SessionClient.enc(organization.value())
                + "/members/" + SessionClient.enc(user.value()) + "/permissions"), null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("tenant-service (membership)", answer);
        }
        return Optional.of(http.read(answer, Permissions.class));
    }

    /** Which organization verified the domain; empty when none. */
    public Optional<DomainDiscovery> discoverDomain(String domain) {
        var answer = http.send("GET", url("/internal/v1/domains/" + SessionClient.enc(domain)), null);
        if (answer.status() == 404 || answer.status() == 400) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("tenant-service (domain)", answer);
        }
        return Optional.of(http.read(answer, DomainDiscovery.class));
    }

    /** Joins the user through the organization's verified domain; empty when the domain is not verified by it. */
    public Optional<JitMembership> joinJustInTime(OrgId organization, UserId user, String email) {
        var answer = http.send("POST", url("/internal/v1/organizations/" + SessionClient.enc(organization.value())
                + "/jit-memberships"), new JitBody(user.value(), email));
        if (answer.status() == 403 || answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("tenant-service (jit membership)", answer);
        }
        return Optional.of(http.read(answer, JitMembership.class));
    }

    /** What an invitation token invites to, without using it. */
    public InvitationAnswer inspectInvitation(String token) {
        return invitation(http.send("POST", url("/internal/v1/invitations/inspect"), new TokenBody(token)));
    }

    /** Accepts an invitation for the user (their verified address must be the invited one). */
    public InvitationAnswer acceptInvitation(String token, UserId user, String email) {
        return invitation(http.send("POST", url("/internal/v1/invitations/accept"),
                new AcceptBody(token, user.value(), email)));
    }

    private InvitationAnswer invitation(PlatformHttp.Answer answer) {
        if (answer.ok()) {
            return http.read(answer, Invitation.class);
        }
        if (answer.status() == 400 || answer.status() == 403 || answer.status() == 404 || answer.status() == 409) {
            String detail = "the invitation is not valid";
            if (answer.body() != null) {
                try {
                    Object d = http.read(answer, Argument.mapOf(String.class, Object.class)).get("detail");
                    if (d instanceof String s) {
                        detail = s;
                    }
                } catch (PlatformUnavailableException e) {
                    // keep the generic detail
                }
            }
            return new InvitationRefused(answer.status(), detail);
        }
        throw PlatformHttp.unexpected("tenant-service (invitation)", answer);
    }

    private URI url(String path) {
        return config.requireTenantUrl().resolve(path);
    }

}
