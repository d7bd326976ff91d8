package dev.gatehouse.tenant.invitation;

import dev.gatehouse.contract.token.Claims;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.kit.http.Problem;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.access.TenantAccess;
import dev.gatehouse.tenant.internal.http.PathIds;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Accepting invitations: by identity-service at sign-up or for a signed-in user (service token; it vouches for the
 * user's verified address), or by a signed-in user directly with a token that carries a verified {@code email}.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Invitations")
public class AcceptInvitationController {
    private final InvitationService invitations;
    private final TenantAccess access;

    public AcceptInvitationController(InvitationService invitations, TenantAccess access) {
        this.invitations = invitations;
        this.access = access;
    }

    @Serdeable
    public record TokenRequest(@NotBlank @Size(max = 4096) String token) {
    }

    /**
     * @param userId the user who accepts (just signed up, or signed in)
     * @param email  their verified address; must be the invited one
     */
    @Serdeable
    public record InternalAcceptRequest(@NotBlank @Size(max = 4096) String token, @NotBlank String userId,
                                        @NotBlank @Email @Size(max = 320) String email) {
    }

    @Post(value = "/internal/v1/invitations/inspect", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "What an invitation token invites to, without using it (identity-service)")
    public InvitationView.Details inspect(HttpRequest<?> request, @Body @Valid TokenRequest body) {
        access.requireInternalService(request);
        return answer(invitations.inspect(body.token()));
    }

    @Post(value = "/internal/v1/invitations/accept", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept an invitation for a user (identity-service: sign-up or signed in)")
    public InvitationView.Details acceptInternal(HttpRequest<?> request, @Body @Valid InternalAcceptRequest body) {
        access.requireInternalService(request);
        return answer(invitations.accept(body.token(), PathIds.user(body.userId()), body.email()));
    }

    @Post(value = "/api/v1/invitations/accept", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept an invitation as the signed-in user",
            description = "The access token must carry the invited address as a verified email (scope email).")
    public InvitationView.Details accept(HttpRequest<?> request, @Body @Valid TokenRequest body) {
        Principal principal = access.requireUser(request);
        String email = principal.claim(Claims.EMAIL).orElse(null);
        if (email == null || !Boolean.TRUE.equals(principal.claims().get(Claims.EMAIL_VERIFIED))) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "the token carries no verified email; accept the invitation through sign-in");
        }
        return answer(invitations.accept(body.token(), PathIds.user(principal.subject()), email));
    }

    private static InvitationView.Details answer(InvitationService.AcceptOutcome outcome) {
        return switch (outcome) {
            case InvitationService.Accepted(InvitationView.Details details) -> details;
            case InvitationService.InvalidToken ignored -> throw invalid("is not a valid invitation token");
            case InvitationService.ExpiredToken ignored -> throw invalid("has expired; ask for the invitation to be "
                    + "resent");
            case InvitationService.AlreadyUsed ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "The invitation was already accepted");
            case InvitationService.NoLongerValid ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "The invitation was revoked or replaced by a newer one");
            case InvitationService.WrongEmail ignored -> throw new ProblemException(ProblemType.FORBIDDEN,
                    "The invitation is for another email address");
            case InvitationService.OrganizationArchived ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "The organization is archived");
        };
    }

    private static ProblemException invalid(String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, "token " + message,
                List.of(new Problem.FieldError("token", message)));
    }
}
