package dev.gatehouse.identity.upstream;

/** A provider's metadata could not be fetched or is unacceptable; the message names the provider, never a secret. */
public final class ProviderUnavailableException extends RuntimeException {
    public ProviderUnavailableException(String message) {
        super(message, null, false, false);
    }
}
