package dev.gatehouse.identity.signin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Sign-in settings, under {@code gatehouse.identity.sign-in}.
 *
 * @param webClientId  the client browser sessions of seed 004's {@code /auth/*} API are opened for (registered in
 *                     session-service, e.g. by the bootstrap file)
 * @param pendingTtl   lifetime of a {@code pendingAuthenticationToken} (single use)
 * @param defaultMethod the discovery answer ({@code POST /auth/sign-in}) when no rule decides (no SSO domain, no
 *                      password): {@code password} or {@code magicAuth}
 */
@ConfigurationProperties("gatehouse.identity.sign-in")
public record SignInConfig(
        @Bindable(defaultValue = DEFAULT_WEB_CLIENT) @NotBlank String webClientId,
        @Bindable(defaultValue = "PT10M") @NotNull Duration pendingTtl,
        @Bindable(defaultValue = "password") @jakarta.validation.constraints.Pattern(regexp = "password|magicAuth|sso")
        String defaultMethod) {
    public static final String DEFAULT_WEB_CLIENT = "gatehouse-web";

    public SignInConfig {
        if (pendingTtl != null && (pendingTtl.isNegative() || pendingTtl.isZero()
                || pendingTtl.compareTo(Duration.ofHours(1)) > 0)) {
            throw new dev.gatehouse.kit.app.InvalidConfigurationException(java.util.List.of(
                    "gatehouse.identity.sign-in.pending-ttl: must be between 1 s and 1 h"));
        }
    }
}
