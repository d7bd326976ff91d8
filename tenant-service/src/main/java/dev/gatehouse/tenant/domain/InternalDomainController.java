package dev.gatehouse.tenant.domain;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.access.TenantAccess;
import dev.gatehouse.tenant.internal.http.PathIds;
import dev.gatehouse.tenant.membership.MembershipService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;

import java.util.List;

/** For identity-service: sign-in discovery by email domain, and just-in-time membership. */
@Controller("/internal/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Internal")
public class InternalDomainController {
    private final DomainService domains;
    private final TenantAccess access;

    public InternalDomainController(DomainService domains, TenantAccess access) {
        this.domains = domains;
        this.access = access;
    }

    @Get("/domains/{domain}")
    @Operation(summary = "Which organization verified this email domain (404 when none)")
    public DomainService.Discovery discover(HttpRequest<?> request, String domain) {
        access.requireInternalService(request);
        String name = DomainService.normalise(domain);
        return (name == null ? java.util.Optional.<DomainService.Discovery>empty() : domains.discover(name))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No organization verified the domain"));
    }

    /** @param email the user's verified address; its domain must be verified by the organization */
    @Serdeable
    public record JitRequest(@NotBlank String userId, @NotBlank @Email String email) {
    }

    /** The membership a just-in-time join came to. */
    @Serdeable
    public record JitMembership(String organizationId, String userId, List<String> roles) {
    }

    @Post(value = "/organizations/{orgId}/jit-memberships", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Join a user to the organization just-in-time through a verified domain",
            description = "201 when added, 200 when already a member; 403 when the address's domain is not verified "
                    + "by the organization.")
    public HttpResponse<JitMembership> join(HttpRequest<?> request, String orgId, @Body @Valid JitRequest body) {
        access.requireInternalService(request);
        OrgId organization = PathIds.organization(orgId);
        return switch (domains.joinJustInTime(organization, PathIds.user(body.userId()), body.email())) {
            case DomainService.Joined(MembershipService.PutOutcome outcome) -> {
                var m = outcome.membership();
                var view = new JitMembership(m.organizationId(), m.userId(), m.roles());
                yield outcome instanceof MembershipService.Added ? HttpResponse.created(view) : HttpResponse.ok(view);
            }
            case DomainService.DomainNotVerified ignored -> throw new ProblemException(ProblemType.FORBIDDEN,
                    "The address's domain is not verified by the organization");
        };
    }
}
