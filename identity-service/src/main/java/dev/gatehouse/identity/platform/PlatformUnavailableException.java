package dev.gatehouse.identity.platform;

/** session-service or tenant-service could not be reached or answered unexpectedly: a 503 problem, never a guess. */
public class PlatformUnavailableException extends RuntimeException {
    public PlatformUnavailableException(String message) {
        super(message);
    }

    public PlatformUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
