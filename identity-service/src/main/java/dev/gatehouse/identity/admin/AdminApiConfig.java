package dev.gatehouse.identity.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Seed 001's admin authentication (the AI Security Gateway's {@code /api/v1/auth/*}), under
 * {@code gatehouse.identity.admin-api}.
 *
 * @param clientId      the OAuth client its sessions and JWTs are for (registered in session-service)
 * @param refreshWindow how long after expiry {@code /api/v1/auth/refresh} still accepts a token (its session must
 *                      also still live)
 * @param sessionTtl    how long identity-service keeps the server-side handle of such a session (renewed on refresh)
 */
@ConfigurationProperties("gatehouse.identity.admin-api")
public record AdminApiConfig(
        @Bindable(defaultValue = "ai-security-gateway") @NotBlank String clientId,
        @Bindable(defaultValue = "PT1H") @NotNull Duration refreshWindow,
        @Bindable(defaultValue = "P7D") @NotNull Duration sessionTtl) {
    public AdminApiConfig {
        if (refreshWindow != null && (refreshWindow.isNegative() || refreshWindow.compareTo(Duration.ofDays(7)) > 0)) {
            throw new dev.gatehouse.kit.app.InvalidConfigurationException(java.util.List.of(
                    "gatehouse.identity.admin-api.refresh-window: must be between 0 and 7 days"));
        }
    }
}
