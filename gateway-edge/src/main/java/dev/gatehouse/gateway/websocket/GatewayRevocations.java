package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.revocation.Revocations;
import jakarta.inject.Singleton;

/** The gateway's revocation list (fed by {@code SessionRevoked} and {@code ApiKeyRevoked}) for open WebSockets. */
@Singleton
class GatewayRevocations implements RevocationCheck {
    private final Revocations revocations;

    GatewayRevocations(Revocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public boolean isRevoked(GatewayPrincipal principal) {
        return principal.isApiKey() ? revocations.apiKeyRevoked(principal.subject())
                : revocations.sessionRevoked(principal.sessionId());
    }
}
