package dev.gatehouse.tenant.invitation;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.access.Caller;
import dev.gatehouse.tenant.access.TenantAccess;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.http.PathIds;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Clock;

@Controller("/api/v1/organizations/{orgId}/invitations")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Invitations")
public class InvitationController {
    private final InvitationService invitations;
    private final TenantAccess access;
    private final Clock clock;

    public InvitationController(InvitationService invitations, TenantAccess access, Clock clock) {
        this.invitations = invitations;
        this.access = access;
        this.clock = clock;
    }

    /**
     * @param email the invitee's address
     * @param role  the role they get (default {@code viewer}); {@code admin} makes it an admin invitation
     */
    @Serdeable
    public record InviteRequest(@NotBlank @Email @Size(max = 320) String email, @Nullable String role) {
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Invite someone by email (admin)",
            description = "Emits InvitationCreated (identity-service emails the token).")
    public HttpResponse<InvitationView.WithToken> create(HttpRequest<?> request, String orgId,
                                                        @Body @Valid InviteRequest body) {
        OrgId organization = PathIds.organization(orgId);
        Caller caller = access.require(request, organization, TenantAccess.Need.ADMIN);
        String role = body.role() == null ? "viewer" : body.role();
        return switch (invitations.create(organization, body.email(), role, caller.id())) {
            case InvitationService.Sent(Invitation invitation, String token) -> HttpResponse.created(
                    new InvitationView.WithToken(InvitationView.of(invitation, clock.instant()), token),
                    URI.create("/api/v1/organizations/" + orgId + "/invitations/" + invitation.id()));
            case InvitationService.AlreadyInvited ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "A pending invitation for this address exists; resend it instead");
        };
    }

    @Get
    @Operation(summary = "List the invitations (by id, paged)")
    public Page<InvitationView> list(HttpRequest<?> request, String orgId, @Nullable @QueryValue String after,
                                     @Nullable @QueryValue Integer limit) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return invitations.list(organization, Paging.of(after, limit));
    }

    @Get("/{id}")
    @Operation(summary = "Read an invitation")
    public InvitationView find(HttpRequest<?> request, String orgId, String id) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return invitations.find(organization, id).map(i -> InvitationView.of(i, clock.instant()))
                .orElseThrow(InvitationController::notFound);
    }

    @Post("/{id}/resend")
    @Operation(summary = "Send again with a fresh token and expiry (admin)",
            description = "The previous token stops working. Emits InvitationReissued.")
    public InvitationView.WithToken resend(HttpRequest<?> request, String orgId, String id) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (invitations.resend(organization, id)) {
            case InvitationService.Changed(Invitation invitation, String token) ->
                    new InvitationView.WithToken(InvitationView.of(invitation, clock.instant()), token);
            case InvitationService.NotFound ignored -> throw notFound();
            case InvitationService.NotPending(String status) -> throw new ProblemException(ProblemType.CONFLICT,
                    "The invitation is " + status);
        };
    }

    @Delete("/{id}")
    @Operation(summary = "Revoke a pending invitation (admin)", description = "Emits InvitationRevoked.")
    public HttpResponse<Void> revoke(HttpRequest<?> request, String orgId, String id) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (invitations.revoke(organization, id)) {
            case InvitationService.Changed ignored -> HttpResponse.noContent();
            case InvitationService.NotFound ignored -> throw notFound();
            case InvitationService.NotPending(String status) -> throw new ProblemException(ProblemType.CONFLICT,
                    "The invitation is " + status);
        };
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such invitation");
    }
}
