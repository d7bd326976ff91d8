package dev.gatehouse.tenant.organization;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.access.TenantAccess;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.http.PathIds;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.net.URI;
import java.util.Optional;

@Controller("/api/v1/organizations")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Organizations")
public class OrganizationController {
    private final OrganizationService organizations;
    private final TenantAccess access;
    private final OrganizationConfig config;

    public OrganizationController(OrganizationService organizations, TenantAccess access, OrganizationConfig config) {
        this.organizations = organizations;
        this.access = access;
        this.config = config;
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an organization",
            description = "Platform admins; and any signed-in user when self-service is on, who becomes its admin. "
                    + "Emits OrganizationCreated.")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "400", description = "Malformed or invalid body (problem+json)")
    @ApiResponse(responseCode = "409", description = "The slug is taken (problem+json)")
    public HttpResponse<OrganizationView> create(HttpRequest<?> request, @Body @Valid CreateOrganizationRequest body) {
        Principal principal = access.authenticate(request);
        Optional<UserId> admin = Optional.empty();
        if (!principal.platformAdmin()) {
            if (principal.sessionId().isEmpty() || !config.selfService()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "this needs a platform administrator");
            }
            admin = Optional.of(PathIds.user(principal.subject()));
        }
        var settings = new OrganizationService.Settings(body.slug(), body.displayName().strip(), body.logoUrl(),
                body.primaryColor(), body.accentColor(), body.metadata());
        return switch (organizations.create(settings, admin)) {
            case OrganizationService.Created(Organization organization) -> HttpResponse
                    .created(OrganizationView.of(organization), URI.create("/api/v1/organizations/" + organization.id()));
            case OrganizationService.SlugTaken(String slug) -> throw slugTaken(slug);
        };
    }

    @Get
    @Operation(summary = "List organizations (by id, paged)",
            description = "Platform admins see every organization (archived ones with includeArchived=true); "
                    + "other users their own.")
    public Page<OrganizationView> list(HttpRequest<?> request, @Nullable @QueryValue String after,
                                       @Nullable @QueryValue Integer limit,
                                       @Nullable @QueryValue Boolean includeArchived) {
        Principal principal = access.authenticate(request);
        Paging paging = Paging.of(after, limit);
        if (principal.platformAdmin()) {
            return organizations.list(paging, Boolean.TRUE.equals(includeArchived));
        }
        if (principal.sessionId().isEmpty()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs a user's token or a platform administrator");
        }
        return organizations.listFor(PathIds.user(principal.subject()), paging);
    }

    @Get("/{id}")
    @Operation(summary = "Read an organization")
    @ApiResponse(responseCode = "404", description = "No such organization, or not a member (problem+json)")
    public OrganizationView find(HttpRequest<?> request, String id) {
        OrgId orgId = PathIds.organization(id);
        access.require(request, orgId, TenantAccess.Need.READ);
        return organizations.find(orgId).map(OrganizationView::of).orElseThrow(OrganizationController::notFound);
    }

    @Patch(value = "/{id}", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an organization's settings (admin)", description = "Emits OrganizationUpdated.")
    public OrganizationView update(HttpRequest<?> request, String id, @Body @Valid UpdateOrganizationRequest body) {
        OrgId orgId = PathIds.organization(id);
        access.require(request, orgId, TenantAccess.Need.ADMIN);
        return switch (organizations.update(orgId, body)) {
            case OrganizationService.Updated(Organization organization, boolean changed) ->
                    OrganizationView.of(organization);
            case OrganizationService.UpdateSlugTaken(String slug) -> throw slugTaken(slug);
            case OrganizationService.NotFound ignored -> throw notFound();
            case OrganizationService.IsArchived ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "The organization is archived");
        };
    }

    @Post("/{id}/archive")
    @Operation(summary = "Archive an organization (admin)",
            description = "Read-only afterwards; its API keys are revoked and no token can be minted for it. "
                    + "Emits OrganizationArchived. Idempotent.")
    public OrganizationView archive(HttpRequest<?> request, String id) {
        OrgId orgId = PathIds.organization(id);
        access.require(request, orgId, TenantAccess.Need.ADMIN);
        return organizations.archive(orgId).map(OrganizationView::of).orElseThrow(OrganizationController::notFound);
    }

    private static ProblemException slugTaken(String slug) {
        return new ProblemException(ProblemType.CONFLICT, "The slug '" + slug + "' is taken");
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such organization");
    }
}
