package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;

/** Whether the session or API key behind an open WebSocket has been revoked since it was opened. */
@FunctionalInterface
public interface RevocationCheck {
    boolean isRevoked(GatewayPrincipal principal);
}
