package dev.gatehouse.identity.upstream;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one authorization request carries besides the provider's settings.
 *
 * @param codeChallenge   the S256 challenge (RFC 7636 §4.2): Gatehouse's own for web sign-ins, the app's for desktop
 * @param nonce           bound into the ID token (ignored by providers without ID tokens)
 * @param redirectUri     one of the provider's configured redirect URIs
 * @param extraScopes     requested on top of the configured scopes (e.g. an app's API scopes)
 * @param extraParameters e.g. {@code access_type=offline}, {@code prompt=consent}; override configured ones
 * @param loginHint       the address the user typed, when known (OIDC Core {@code login_hint})
 */
public record AuthorizationParams(String state, String nonce, String codeChallenge, URI redirectUri,
                                  List<String> extraScopes, Map<String, String> extraParameters, String loginHint) {
    public AuthorizationParams {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        Objects.requireNonNull(redirectUri, "redirectUri");
        extraScopes = extraScopes == null ? List.of() : List.copyOf(extraScopes);
        extraParameters = extraParameters == null ? Map.of() : Map.copyOf(extraParameters);
    }

    public AuthorizationParams(String state, String nonce, String codeChallenge, URI redirectUri) {
        this(state, nonce, codeChallenge, redirectUri, List.of(), Map.of(), null);
    }
}
