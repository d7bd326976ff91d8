package dev.gatehouse.gateway.upstream;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The optional internal JWT the gateway signs for upstreams ({@code X-Gatehouse-Token}), under
 * {@code gatehouse.gateway.internal-token}. Upstreams verify it against {@code GET /internal-jwks.json} on the
 * gateway's management port.
 *
 * @param enabled whether to mint it (ES256, one signature per new principal and audience per {@code ttl / 2})
 * @param key     a private EC P-256 JWK (JSON) to sign with; when absent a key is generated at startup (each replica
 *                then has its own, all published by their own JWKS)
 * @param issuer  its {@code iss}
 * @param ttl     its lifetime
 */
@ConfigurationProperties("gatehouse.gateway.internal-token")
public record InternalTokenConfig(@Bindable(defaultValue = "false") boolean enabled,
                                  @Nullable String key,
                                  @Bindable(defaultValue = "gatehouse-gateway") String issuer,
                                  @Bindable(defaultValue = "60s") Duration ttl) {
    @Override
    public String toString() {
        return "InternalTokenConfig[enabled=" + enabled + ", issuer=" + issuer + ", ttl=" + ttl + "]";
    }
}
