package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Until the gateway's revocation list is wired in, nothing is revoked (expiry still closes connections). */
@Singleton
@Requires(missingBeans = RevocationCheck.class)
class NoRevocations implements RevocationCheck {
    @Override
    public boolean isRevoked(GatewayPrincipal principal) {
        return false;
    }
}
