package dev.gatehouse.tenant.organization;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.net.URI;

@Controller("/api/v1/organizations")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Organizations")
public class OrganizationController {
    private final OrganizationService organizations;

    public OrganizationController(OrganizationService organizations) {
        this.organizations = organizations;
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an organization", description = "Emits OrganizationCreated.")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "400", description = "Malformed or invalid body (problem+json)")
    @ApiResponse(responseCode = "409", description = "The slug is taken (problem+json)")
    @ApiResponse(responseCode = "413", description = "Body too large (problem+json)")
    public HttpResponse<OrganizationView> create(@Body @Valid CreateOrganizationRequest request) {
        return switch (organizations.create(request.slug(), request.displayName().strip())) {
            case OrganizationService.Created(Organization organization) -> HttpResponse
                    .created(OrganizationView.of(organization), URI.create("/api/v1/organizations/" + organization.id()));
            case OrganizationService.SlugTaken(String slug) ->
                    throw new ProblemException(ProblemType.CONFLICT, "The slug '" + slug + "' is taken");
        };
    }

    @Get("/{id}")
    @Operation(summary = "Read an organization")
    @ApiResponse(responseCode = "404", description = "No such organization (problem+json)")
    public OrganizationView find(String id) {
        OrgId orgId = OrgId.parseOrNull(id);
        return (orgId == null ? java.util.Optional.<Organization>empty() : organizations.find(orgId))
                .map(OrganizationView::of)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No such organization"));
    }
}
