package dev.gatehouse.identity.upstream;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A started upstream sign-in, kept in Redis under its state until the code comes back (single use, 10 minutes).
 *
 * @param platform      {@code web} (Gatehouse holds the PKCE verifier) or {@code desktop} (the app holds it)
 * @param codeVerifier  web only: the verifier Gatehouse generated (backend-managed PKCE)
 * @param codeChallenge the S256 challenge sent to the provider (Gatehouse's for web, the app's for desktop)
 * @param bindingHash   SHA-256 of the browser-binding cookie set at start
 * @param organization  the organization's slug when this is its enterprise SSO
 */
@Serdeable
public record PendingUpstreamSignIn(String provider, String platform, String nonce, @Nullable String codeVerifier,
                                    String codeChallenge, String bindingHash, String redirectUri,
                                    @Nullable String organization, long startedAtEpochSecond) {
    public static final String WEB = "web";
    public static final String DESKTOP = "desktop";

    public boolean desktop() {
        return DESKTOP.equals(platform);
    }

    @Override
    public String toString() {
        return "PendingUpstreamSignIn[provider=" + provider + ", platform=" + platform + "]";
    }
}
