package dev.gatehouse.gateway.limit;

import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import dev.gatehouse.gateway.auth.ApiKeyTable;
import dev.gatehouse.gateway.auth.GatewayPrincipal;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Group limits from the API key table: the {@code rateLimit} tenant-service put on the key's group. */
@Singleton
public class ApiKeyGroupRateLimits implements GroupRateLimits {
    private final ApiKeyTable keys;

    public ApiKeyGroupRateLimits(ApiKeyTable keys) {
        this.keys = keys;
    }

    @Override
    public Optional<RateLimitPolicy> policy(GatewayPrincipal principal, String group) {
        if (!principal.isApiKey()) {
            return Optional.empty();
        }
        return keys.byId(principal.subject())
                .filter(key -> group.equals(key.groupId()))
                .map(ApiKeyTable.ApiKey::rateLimit);
    }
}
