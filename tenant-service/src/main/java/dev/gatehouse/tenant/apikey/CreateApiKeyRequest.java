package dev.gatehouse.tenant.apikey;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/**
 * Body of {@code POST /api/v1/organizations/{orgId}/api-keys}.
 *
 * @param name      what it is for, 1-100 characters
 * @param groupId   the user group whose roles and rate limit it gets
 * @param expiresAt when it stops working (in the future); absent for never
 */
@Serdeable
public record CreateApiKeyRequest(@NotBlank @Size(max = 100) String name, @NotNull String groupId,
                                  @Nullable Instant expiresAt) {
}
