package dev.gatehouse.identity.password;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * What a new password must be, under {@code gatehouse.identity.password.policy} (NIST SP 800-63B: length, not
 * composition rules; a breached-password check).
 *
 * @param minLength at least this many characters (code points)
 * @param maxLength at most this many (argon2 hashes any length; this bounds the work per request)
 */
@ConfigurationProperties("gatehouse.identity.password.policy")
public record PasswordPolicyConfig(
        @Bindable(defaultValue = "12") @Min(8) @Max(64) int minLength,
        @Bindable(defaultValue = "256") @Min(64) @Max(1024) int maxLength) {
}
