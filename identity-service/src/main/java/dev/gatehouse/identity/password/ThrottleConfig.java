package dev.gatehouse.identity.password;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Password-guessing limits, under {@code gatehouse.identity.password.throttle}. Per account (by the identifier typed,
 * known or not, so the limits reveal nothing about which accounts exist) and per client address. Failures are
 * counted over {@code window}; after {@code delayAfter} failures each further attempt must wait
 * {@code baseDelay * 2^(failures - delayAfter)} (at most {@code maxDelay}); after {@code lockoutAfter} failures the
 * account is locked for {@code lockout}. An address is locked for {@code lockout} after {@code ipLockoutAfter}
 * failures over all accounts. A successful sign-in clears the account's count.
 */
@ConfigurationProperties("gatehouse.identity.password.throttle")
public record ThrottleConfig(
        @Bindable(defaultValue = "3") @Min(1) @Max(100) int delayAfter,
        @Bindable(defaultValue = "PT1S") @NotNull Duration baseDelay,
        @Bindable(defaultValue = "PT30S") @NotNull Duration maxDelay,
        @Bindable(defaultValue = "10") @Min(2) @Max(1000) int lockoutAfter,
        @Bindable(defaultValue = "PT15M") @NotNull Duration lockout,
        @Bindable(defaultValue = "PT15M") @NotNull Duration window,
        @Bindable(defaultValue = "100") @Min(5) @Max(100_000) int ipLockoutAfter) {
}
