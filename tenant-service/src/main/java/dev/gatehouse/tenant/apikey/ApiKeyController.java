package dev.gatehouse.tenant.apikey;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.Problem;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.net.URI;
import java.time.Clock;
import java.util.List;

@Controller("/api/v1/organizations/{orgId}/api-keys")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "API keys")
public class ApiKeyController {
    private final ApiKeyService keys;
    private final TenantAccess access;
    private final Clock clock;

    public ApiKeyController(ApiKeyService keys, TenantAccess access, Clock clock) {
        this.keys = keys;
        this.access = access;
        this.clock = clock;
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key (admin)",
            description = "The answer holds the secret, shown this once only. Emits ApiKeyCreated.")
    public HttpResponse<ApiKeyView.WithSecret> create(HttpRequest<?> request, String orgId,
                                                     @Body @Valid CreateApiKeyRequest body) {
        OrgId organization = PathIds.organization(orgId);
        Caller caller = access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (keys.create(organization, body.groupId(), body.name(), body.expiresAt(), caller.id())) {
            case ApiKeyService.Created(ApiKey key, String secret) -> HttpResponse.created(
                    new ApiKeyView.WithSecret(ApiKeyView.of(key, clock.instant()), secret),
                    URI.create("/api/v1/organizations/" + orgId + "/api-keys/" + key.id()));
            case ApiKeyService.NoSuchGroup ignored -> throw invalid("groupId", "names no group of the organization");
            case ApiKeyService.ExpiryInPast ignored -> throw invalid("expiresAt", "must be in the future");
            case ApiKeyService.GroupGrantsAdmin ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "The group grants the admin role; API keys never get admin permissions");
        };
    }

    @Get
    @Operation(summary = "List the API keys (by id, paged; never their secrets)")
    public Page<ApiKeyView> list(HttpRequest<?> request, String orgId, @Nullable @QueryValue String after,
                                 @Nullable @QueryValue Integer limit) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return keys.list(organization, Paging.of(after, limit));
    }

    @Get("/{keyId}")
    @Operation(summary = "Read an API key (never its secret)")
    public ApiKeyView find(HttpRequest<?> request, String orgId, String keyId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return keys.find(organization, keyId).map(k -> ApiKeyView.of(k, clock.instant()))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No such API key"));
    }

    @Delete("/{keyId}")
    @Operation(summary = "Revoke an API key (admin)", description = "Emits ApiKeyRevoked; idempotent.")
    public HttpResponse<Void> revoke(HttpRequest<?> request, String orgId, String keyId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        if (!keys.revoke(organization, keyId)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such API key");
        }
        return HttpResponse.noContent();
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
