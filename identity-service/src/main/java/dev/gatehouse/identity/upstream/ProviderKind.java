package dev.gatehouse.identity.upstream;

import java.util.Locale;
import java.util.Optional;

/** The kinds of upstream identity provider Gatehouse signs users in with. */
public enum ProviderKind {
    /** Google's OpenID Provider (discovery at https://accounts.google.com). */
    GOOGLE,
    /** Microsoft identity platform v2.0 (multi-tenant issuer template {@code {tenantid}} supported). */
    MICROSOFT,
    /** GitHub: plain OAuth 2.0 plus its REST API ({@code /user}, {@code /user/emails}); no ID token. */
    GITHUB,
    /** Any OpenID Provider, found through its discovery document (enterprise SSO: Okta, Entra ID, Keycloak...). */
    OIDC;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ProviderKind> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (ProviderKind kind : values()) {
            if (kind.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    public boolean usesIdTokens() {
        return this != GITHUB;
    }
}
