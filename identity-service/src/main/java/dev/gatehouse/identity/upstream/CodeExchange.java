package dev.gatehouse.identity.upstream;

import java.net.URI;
import java.util.Objects;

/**
 * A code to redeem.
 *
 * @param codeVerifier   the PKCE verifier (RFC 7636 §4.5) matching the challenge sent in the authorization request
 * @param expectedNonce  the nonce sent in the authorization request; the ID token must carry exactly it
 * @param redirectUri    the redirect URI sent in the authorization request
 * @param responseIssuer the {@code iss} parameter of the authorization response (RFC 9207) when the client saw one;
 *                       it must equal the provider's issuer. Null when absent (refused if the provider advertises
 *                       {@code authorization_response_iss_parameter_supported})
 */
public record CodeExchange(String code, String codeVerifier, String expectedNonce, URI redirectUri,
                           String responseIssuer) {
    public CodeExchange {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(redirectUri, "redirectUri");
    }

    @Override
    public String toString() {
        return "CodeExchange[redirectUri=" + redirectUri + "]";
    }
}
