package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.kit.http.ProblemType;

import java.util.Map;

/** Whether a WebSocket upgrade may go on to the upstream. */
sealed interface UpgradeDecision {

    /**
     * Go on.
     *
     * @param principal who opened it; null on a public route called without credentials
     */
    record Allowed(GatewayPrincipal principal) implements UpgradeDecision {
    }

    /**
     * Answer the upgrade with an HTTP error instead.
     *
     * @param type    the problem type (its status is the response's)
     * @param detail  safe to show
     * @param headers extra response headers, such as {@code WWW-Authenticate}
     */
    record Refused(ProblemType type, String detail, Map<String, String> headers) implements UpgradeDecision {
        Refused(ProblemType type, String detail) {
            this(type, detail, Map.of());
        }

        public Refused {
            headers = Map.copyOf(headers);
        }
    }
}
