package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.kit.http.ProblemType;

import java.util.List;
import java.util.Map;

/** Whether a WebSocket upgrade may go on to the upstream. */
sealed interface UpgradeDecision {

    /**
     * Go on.
     *
     * @param principal who opened it; null on a public route, or an optional one called without credentials
     * @param headers   extra headers of the 101 answer (a refreshed session cookie)
     */
    record Allowed(GatewayPrincipal principal, List<Map.Entry<String, String>> headers) implements UpgradeDecision {
        public Allowed {
            headers = List.copyOf(headers);
        }
    }

    /**
     * Answer the upgrade with an HTTP error instead.
     *
     * @param type    the problem type (its status is the response's)
     * @param detail  safe to show
     * @param headers extra response headers, such as {@code WWW-Authenticate} or a cookie that clears a dead session
     */
    record Refused(ProblemType type, String detail, List<Map.Entry<String, String>> headers)
            implements UpgradeDecision {
        Refused(ProblemType type, String detail) {
            this(type, detail, List.of());
        }

        public Refused {
            headers = List.copyOf(headers);
        }
    }
}
