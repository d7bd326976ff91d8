package dev.gatehouse.identity.magic;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Magic codes (seed 004's {@code magicAuth}), under {@code gatehouse.identity.magic}.
 *
 * @param ttl                   how long a code works (seed: 10 minutes)
 * @param maxAttempts           wrong guesses before a code is void (seed: 5)
 * @param resendInterval        minimum time between two codes for one address
 * @param maxCodesPerHour       codes one address can be sent per hour
 * @param maxCodesPerClientPerHour codes one client address (IP) can ask for per hour, all addresses together
 * @param signUp                whether a verified code for an unknown address creates the user (self sign-up); when
 *                              false, unknown addresses get the same answer and no mail
 */
@Context
@ConfigurationProperties("gatehouse.identity.magic")
public record MagicCodeConfig(
        @Bindable(defaultValue = "10m") @NotNull Duration ttl,
        @Bindable(defaultValue = "5") @Min(1) @Max(10) int maxAttempts,
        @Bindable(defaultValue = "30s") @NotNull Duration resendInterval,
        @Bindable(defaultValue = "5") @Min(1) @Max(100) int maxCodesPerHour,
        @Bindable(defaultValue = "30") @Min(1) @Max(100_000) int maxCodesPerClientPerHour,
        @Bindable(defaultValue = "true") boolean signUp) {

    public MagicCodeConfig {
        if (ttl != null && (!ttl.isPositive() || ttl.compareTo(Duration.ofHours(1)) > 0)) {
            throw new dev.gatehouse.kit.app.InvalidConfigurationException(java.util.List.of(
                    "gatehouse.identity.magic.ttl: must be positive and at most 1 h"));
        }
    }
}
