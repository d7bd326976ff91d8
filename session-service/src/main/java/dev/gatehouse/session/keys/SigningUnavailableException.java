package dev.gatehouse.session.keys;

/**
 * No token can be signed right now: no key is active, the active key's private key could not be decrypted on this
 * replica, or this replica has not been able to re-read the keys for longer than {@code publish-ahead} (it might
 * sign with a key the others have retired). Token endpoints answer 503 / {@code temporarily_unavailable}.
 */
public class SigningUnavailableException extends RuntimeException {
    public SigningUnavailableException(String message) {
        super(message, null, false, false);
    }
}
