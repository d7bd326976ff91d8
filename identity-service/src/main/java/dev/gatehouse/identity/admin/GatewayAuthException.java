package dev.gatehouse.identity.admin;

import java.time.Duration;

/** A failure of seed 001's API, answered as {@code {"success": false, "error": "..."}} with its status. */
public class GatewayAuthException extends RuntimeException {
    private final int status;
    private final Duration retryAfter;

    public GatewayAuthException(int status, String error) {
        this(status, error, null);
    }

    public GatewayAuthException(int status, String error, Duration retryAfter) {
        super(error, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
