package dev.gatehouse.tenant.domain;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.Problem;
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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.util.List;

@Controller("/api/v1/organizations/{orgId}/domains")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Domains")
public class DomainController {
    private final DomainService domains;
    private final TenantAccess access;

    public DomainController(DomainService domains, TenantAccess access) {
        this.domains = domains;
        this.access = access;
    }

    /** @param domain e.g. {@code example.com}; internationalised names are stored in punycode */
    @Serdeable
    public record AddDomainRequest(@NotBlank @Size(max = 253) String domain) {
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Claim an email domain (admin)",
            description = "Answers the TXT record to publish; then call .../verify. 201 when new, 200 when claimed.")
    public HttpResponse<Domain> add(HttpRequest<?> request, String orgId, @Body @Valid AddDomainRequest body) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        String domain = DomainService.normalise(body.domain());
        if (domain == null) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "domain is not a domain name",
                    List.of(new Problem.FieldError("domain", "must be a domain name such as example.com")));
        }
        return switch (domains.add(organization, domain)) {
            case DomainService.Added(Domain d, boolean created) -> created
                    ? HttpResponse.created(d, URI.create("/api/v1/organizations/" + orgId + "/domains/" + domain))
                    : HttpResponse.ok(d);
            case DomainService.AlreadyClaimed ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "Another organization has verified this domain");
        };
    }

    @Get
    @Operation(summary = "List the organization's domains (by name, paged)")
    public Page<Domain> list(HttpRequest<?> request, String orgId, @Nullable @QueryValue String after,
                             @Nullable @QueryValue Integer limit) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return domains.list(organization, Paging.of(after, limit));
    }

    @Post("/{domain}/verify")
    @Operation(summary = "Check the TXT record now and mark the domain verified (admin)",
            description = "409 when the record is not (yet) there or another organization verified the domain; "
                    + "503 when DNS did not answer.")
    public Domain verify(HttpRequest<?> request, String orgId, String domain) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (domains.verify(organization, String.valueOf(DomainService.normalise(domain)))) {
            case DomainService.Verified(Domain d) -> d;
            case DomainService.RecordMissing(String name, String value) -> throw new ProblemException(
                    ProblemType.CONFLICT, "No TXT record '" + value + "' at " + name + " yet");
            case DomainService.TakenByAnother ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "Another organization has verified this domain");
            case DomainService.NoSuchDomain ignored -> throw notFound();
            case DomainService.DnsDown ignored -> throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "DNS did not answer; try again shortly");
        };
    }

    @Delete("/{domain}")
    @Operation(summary = "Give up a domain (admin)")
    public HttpResponse<Void> remove(HttpRequest<?> request, String orgId, String domain) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        if (!domains.remove(organization, String.valueOf(DomainService.normalise(domain)))) {
            throw notFound();
        }
        return HttpResponse.noContent();
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such domain");
    }
}
