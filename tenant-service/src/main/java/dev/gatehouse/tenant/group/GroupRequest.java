package dev.gatehouse.tenant.group;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Body of {@code POST /api/v1/organizations/{orgId}/groups} and {@code PUT .../groups/{groupId}} (which replaces
 * every field).
 *
 * @param name        unique in the organization, 1-100 characters
 * @param description up to 500 characters
 * @param roles       0-20 roles granted to every member (and to the group's API keys, without admin permissions)
 * @param rateLimit   what gateway-edge allows the group's API keys; absent for no limit
 */
@Serdeable
public record GroupRequest(@NotBlank @Size(max = 100) String name, @Nullable @Size(max = 500) String description,
                           @NotNull @Size(max = 20) List<String> roles, @Nullable @Valid RateLimit rateLimit) {

    /**
     * @param requests      requests per window, 1-1,000,000
     * @param windowSeconds the window, 1-86,400 seconds
     * @param burst         bucket size, 1-1,000,000 (default: {@code requests})
     */
    @Serdeable
    public record RateLimit(@NotNull @Min(1) @Max(1_000_000) Integer requests,
                            @NotNull @Min(1) @Max(86_400) Integer windowSeconds,
                            @Nullable @Min(1) @Max(1_000_000) Integer burst) {
    }
}
