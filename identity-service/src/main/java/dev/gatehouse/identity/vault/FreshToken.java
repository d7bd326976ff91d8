package dev.gatehouse.identity.vault;

import java.time.Instant;
import java.util.List;

/** What {@link TokenVault#fresh} found. */
public sealed interface FreshToken {

    /** A usable access token ({@code expiresAt} null when the provider did not say). */
    record Fresh(String accessToken, Instant expiresAt, List<String> scopes, boolean refreshed) implements FreshToken {
        @Override
        public String toString() {
            return "Fresh[expiresAt=" + expiresAt + ", refreshed=" + refreshed + "]";
        }
    }

    /** Nothing stored for this user and provider. */
    record NotFound() implements FreshToken {
    }

    /** The access token expired (or a refresh was asked for) and there is no refresh token. */
    record NoRefreshToken() implements FreshToken {
    }

    /** The provider refused the refresh ({@code unavailable} false) or could not be reached (true). */
    record RefreshFailed(String detail, boolean unavailable) implements FreshToken {
    }
}
