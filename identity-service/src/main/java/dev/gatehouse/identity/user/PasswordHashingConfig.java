package dev.gatehouse.identity.user;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * argon2id parameters for human passwords, under {@code gatehouse.identity.password.argon2}. Defaults are OWASP's
 * recommendation (m=19 MiB, t=2, p=1).
 *
 * @param memoryKib   memory cost in KiB
 * @param iterations  time cost
 * @param parallelism lanes
 */
@Context
@ConfigurationProperties("gatehouse.identity.password.argon2")
public record PasswordHashingConfig(
        @Bindable(defaultValue = "19456") @Min(7_168) @Max(1_048_576) int memoryKib,
        @Bindable(defaultValue = "2") @Min(1) @Max(20) int iterations,
        @Bindable(defaultValue = "1") @Min(1) @Max(16) int parallelism) {
}
