package dev.gatehouse.tenant.membership;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Body of {@code PUT /api/v1/organizations/{orgId}/members/{userId}}: the roles granted directly (replacing the
 * previous ones).
 *
 * @param roles 1-20 role keys: {@code viewer}, {@code operator}, {@code admin} or custom roles of the organization
 */
@Serdeable
public record PutMemberRequest(@NotNull @Size(min = 1, max = 20) List<String> roles) {
}
