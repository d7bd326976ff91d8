package dev.gatehouse.tenant.apikey;

import dev.gatehouse.tenant.access.TenantAccess;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** gateway-edge reports API key use here in batches (it checks keys locally, so only it knows). */
@Controller("/internal/v1/api-keys")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Internal")
public class InternalApiKeyController {
    private final ApiKeyService keys;
    private final TenantAccess access;

    public InternalApiKeyController(ApiKeyService keys, TenantAccess access) {
        this.keys = keys;
        this.access = access;
    }

    /** @param usage up to 1,000 keys with the time each was last used */
    @Serdeable
    public record UsageReport(@NotNull @Size(max = 1000) List<@Valid Item> usage) {
    }

    @Serdeable
    public record Item(@NotNull String keyId, @NotNull Instant lastUsedAt) {
    }

    @Post(value = "/usage", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Record API keys' last-used times (gateway-edge)")
    public HttpResponse<Void> usage(HttpRequest<?> request, @Body @Valid UsageReport report) {
        access.requireInternalService(request);
        keys.recordUsage(report.usage().stream().map(i -> new ApiKeyService.Usage(i.keyId(), i.lastUsedAt())).toList());
        return HttpResponse.noContent();
    }
}
