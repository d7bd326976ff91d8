package dev.gatehouse.session.oauth;

/**
 * An RFC 6749 §5.2 error: rendered by {@link OAuthExceptionHandler} as {@code {"error", "error_description"}} with
 * {@code Cache-Control: no-store}. The description is shown to the client: never put secrets or internals in it.
 */
public class OAuthException extends RuntimeException {
    private final String error;
    private final int status;

    public OAuthException(String error, String description, int status) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException("invalid_request", description, 400);
    }

    /** Failed client authentication: 401 with {@code WWW-Authenticate}, the same for unknown client and bad secret. */
    public static OAuthException invalidClient() {
        return new OAuthException("invalid_client", "client authentication failed", 401);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException("invalid_grant", description, 400);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException("unauthorized_client", description, 400);
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException("unsupported_grant_type", description, 400);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException("invalid_scope", description, 400);
    }

    public static OAuthException invalidToken(String description) {
        return new OAuthException("invalid_token", description, 401);
    }
}
