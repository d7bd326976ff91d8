package dev.gatehouse.identity.upstream;

/**
 * The provider's tokens for the user, for callers that keep them (encrypted) to call the provider's APIs later.
 * Never logged: {@link #toString()} hides them.
 */
public record UpstreamTokens(String accessToken, String refreshToken, Long expiresInSeconds, String scope) {
    @Override
    public String toString() {
        return "UpstreamTokens[refreshToken=" + (refreshToken != null) + ", expiresInSeconds=" + expiresInSeconds
                + ", scope=" + scope + "]";
    }
}
