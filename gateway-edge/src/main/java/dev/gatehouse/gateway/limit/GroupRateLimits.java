package dev.gatehouse.gateway.limit;

import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import dev.gatehouse.gateway.auth.GatewayPrincipal;

import java.util.Optional;

/**
 * The rate limit tenant-service set on an API key's group (seed 001: keys are rate-limited per user group), as carried
 * by the key's {@code ApiKeyCreated}/{@code ApiKeyUpdated} events. Implemented over the gateway's API key table.
 */
public interface GroupRateLimits {
    /** The policy of {@code group} for the API key {@code principal}, when tenant-service set one. */
    Optional<RateLimitPolicy> policy(GatewayPrincipal principal, String group);
}
