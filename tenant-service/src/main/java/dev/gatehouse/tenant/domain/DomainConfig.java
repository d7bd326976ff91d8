package dev.gatehouse.tenant.domain;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Domain verification settings, under {@code gatehouse.tenant.domains}.
 *
 * @param dnsServer  {@code host} or {@code host:port} of the DNS server to ask; absent for the system's resolvers
 * @param dnsTimeout how long one TXT lookup may take
 * @param jitRole    the role a user gets when joining just-in-time through a verified domain
 */
@ConfigurationProperties("gatehouse.tenant.domains")
public record DomainConfig(@Nullable String dnsServer,
                           @Bindable(defaultValue = "3s") @NotNull Duration dnsTimeout,
                           @Bindable(defaultValue = "viewer") @NotBlank String jitRole) {
}
