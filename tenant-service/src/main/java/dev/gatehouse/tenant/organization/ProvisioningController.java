package dev.gatehouse.tenant.organization;

import dev.gatehouse.tenant.access.TenantAccess;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Tenant provisioning (seed 002): the first sight of an unknown {@code org_id} from a trusted external issuer (e.g.
 * a WorkOS tenant configured at the gateway) creates that tenant, exactly once. Called by gateway-edge or
 * session-service with a service token.
 */
@Controller("/internal/v1/organizations")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Internal")
public class ProvisioningController {
    private final OrganizationService organizations;
    private final TenantAccess access;

    public ProvisioningController(OrganizationService organizations, TenantAccess access) {
        this.organizations = organizations;
        this.access = access;
    }

    /**
     * @param externalId the issuer's organization id ({@code org_id}), 1-255 printable characters
     * @param issuer     the trusted issuer ({@code iss}), 1-500 characters
     */
    @Serdeable
    public record ProvisionRequest(@NotBlank @Size(max = 255) @Pattern(regexp = "\\p{Graph}+",
                                           message = "must be printable characters without spaces") String externalId,
                                   @NotBlank @Size(max = 500) @Pattern(regexp = "\\p{Graph}+",
                                           message = "must be printable characters without spaces") String issuer) {
    }

    @Post(value = "/provision", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Provision the tenant of an external org_id (idempotent)",
            description = "201 with the organization when this call created it, 200 when it existed. A failure is "
                    + "a 5xx problem, never a made-up success.")
    public HttpResponse<OrganizationView> provision(HttpRequest<?> request, @Body @Valid ProvisionRequest body) {
        access.requireInternalService(request);
        OrganizationService.Provisioned result = organizations.provision(body.issuer(), body.externalId());
        return HttpResponse.<OrganizationView>status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(OrganizationView.of(result.organization()));
    }
}
