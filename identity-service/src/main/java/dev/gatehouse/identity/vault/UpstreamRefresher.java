package dev.gatehouse.identity.vault;

import io.micronaut.core.annotation.Nullable;

/** Redeems a user's upstream refresh token at the provider's token endpoint (RFC 6749 §6). */
public interface UpstreamRefresher {

    Outcome refresh(String provider, String refreshToken);

    sealed interface Outcome permits Refreshed, Rejected, Unavailable {
    }

    /** New tokens; {@code refreshToken} is null when the provider keeps the old one (Google does). */
    record Refreshed(String accessToken, @Nullable String refreshToken, @Nullable Long expiresInSeconds,
                     @Nullable String scope) implements Outcome {
        @Override
        public String toString() {
            return "Refreshed[rotated=" + (refreshToken != null) + ", expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    /** The provider refused (e.g. {@code invalid_grant}: the user revoked access); {@code detail} has no secret. */
    record Rejected(String detail) implements Outcome {
    }

    /** The provider could not be reached or answered nonsense. */
    record Unavailable(String detail) implements Outcome {
    }
}
