package dev.gatehouse.identity.agenticpal;

import io.micronaut.http.HttpStatus;

/** A seed 003 error: answered as the seed's {@code {"error", "message"}} body by {@link AgenticPalErrorHandler}. */
public class AgenticPalException extends RuntimeException {
    private final HttpStatus status;
    private final String error;

    public AgenticPalException(HttpStatus status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    static AgenticPalException noSession() {
        return new AgenticPalException(HttpStatus.UNAUTHORIZED, "no_session", "No active session");
    }

    static AgenticPalException sessionExpired() {
        return new AgenticPalException(HttpStatus.UNAUTHORIZED, "session_expired",
                "Session has expired. Please log in again.");
    }

    static AgenticPalException invalidState() {
        return new AgenticPalException(HttpStatus.BAD_REQUEST, "invalid_state",
                "Invalid or expired OAuth state. Please try logging in again.");
    }

    static AgenticPalException tokenExchange(String detail, boolean unavailable) {
        return new AgenticPalException(unavailable ? HttpStatus.BAD_GATEWAY : HttpStatus.BAD_REQUEST,
                "token_exchange_error", "Failed to exchange authorization code: " + detail);
    }

    static AgenticPalException noRefreshToken() {
        return new AgenticPalException(HttpStatus.BAD_REQUEST, "no_refresh_token",
                "No refresh token available. Please log in again.");
    }

    static AgenticPalException refreshFailed(String detail, boolean unavailable) {
        return new AgenticPalException(unavailable ? HttpStatus.BAD_GATEWAY : HttpStatus.BAD_REQUEST,
                "refresh_failed", "Failed to refresh credentials: " + detail);
    }

    static AgenticPalException invalidRedirect() {
        return new AgenticPalException(HttpStatus.BAD_REQUEST, "invalid_redirect",
                "frontend_redirect is not an allowed URL.");
    }

    static AgenticPalException providerUnavailable() {
        return new AgenticPalException(HttpStatus.BAD_GATEWAY, "provider_unavailable",
                "Google could not be reached. Please try again.");
    }

    static AgenticPalException notConfigured() {
        return new AgenticPalException(HttpStatus.SERVICE_UNAVAILABLE, "not_configured",
                "Google sign-in is not configured.");
    }
}
