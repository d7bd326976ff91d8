package dev.gatehouse.session.session;

/** Permissions could not be looked up, so no token is minted (answered 503, never a token missing permissions). */
public class PermissionsUnavailableException extends RuntimeException {
    public PermissionsUnavailableException(String message) {
        super(message, null, false, false);
    }
}
