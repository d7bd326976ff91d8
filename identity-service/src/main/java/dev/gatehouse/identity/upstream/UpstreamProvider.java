package dev.gatehouse.identity.upstream;

import java.net.URI;

/**
 * One upstream identity provider Gatehouse is a confidential OAuth 2.0 client of: it builds the authorization URL and
 * exchanges the code the provider returns (RFC 6749 §4.1, PKCE RFC 7636 S256 always) for the user's identity, with the
 * ID token validated (OIDC Core §3.1.3.7: signature, {@code iss}, {@code aud}, {@code exp}, {@code nonce}).
 * One implementation per protocol: {@link OidcUpstreamProvider} (google, microsoft, any OpenID Provider) and
 * {@link GitHubUpstreamProvider}. Thread-safe; metadata and keys are fetched once and cached.
 */
public interface UpstreamProvider {

    ProviderSettings settings();

    default String name() {
        return settings().name();
    }

    default ProviderKind kind() {
        return settings().kind();
    }

    /**
     * The URL to send the browser to. Always carries {@code state}, {@code code_challenge} (S256) and, for OpenID
     * Providers, {@code nonce}.
     */
    URI authorizationUrl(AuthorizationParams params);

    /**
     * Redeems the code at the provider's token endpoint and returns who signed in, or why not. Never throws for
     * what a provider or an attacker can cause; exceptions mean a bug.
     */
    ExchangeResult exchange(CodeExchange exchange);
}
