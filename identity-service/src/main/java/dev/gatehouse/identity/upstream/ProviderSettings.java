package dev.gatehouse.identity.upstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One upstream provider as configured ({@code gatehouse.identity.upstream.providers.<name>}) or declared in the
 * bootstrap file's {@code ssoConnections} section: a deployment-wide provider when {@code organization} is null,
 * otherwise an organization's enterprise SSO connection (organization = its slug).
 *
 * @param name              the path segment of {@code /auth/oauth/{provider}/start}
 * @param issuer            the OpenID Provider's issuer (discovery at {@code issuer/.well-known/openid-configuration});
 *                          defaults for google and microsoft; unused by github
 * @param redirectUri       where the provider sends the browser back (the frontend's callback page, which posts the
 *                          code to {@code /auth/oauth/finalize}); exact, registered at the provider
 * @param desktopRedirectUri the same for desktop apps (defaults to {@code redirectUri})
 * @param authorizationEndpoint overrides (github: defaults to github.com; oidc: from discovery when null)
 * @param apiBaseUri        github's REST API base (default https://api.github.com)
 * @param authorizationParameters extra parameters on every authorization request (e.g. {@code prompt=select_account})
 */
public record ProviderSettings(String name, ProviderKind kind, String organization, URI issuer, String clientId,
                               String clientSecret, List<String> scopes, URI redirectUri, URI desktopRedirectUri,
                               URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri, URI apiBaseUri,
                               Map<String, String> authorizationParameters) {
    static final URI GOOGLE_ISSUER = URI.create("https://accounts.google.com");
    static final URI MICROSOFT_ISSUER = URI.create("https://login.microsoftonline.com/common/v2.0");
    static final URI GITHUB_AUTHORIZE = URI.create("https://github.com/login/oauth/authorize");
    static final URI GITHUB_TOKEN = URI.create("https://github.com/login/oauth/access_token");
    static final URI GITHUB_API = URI.create("https://api.github.com");
    static final List<String> OIDC_SCOPES = List.of("openid", "email", "profile");
    static final List<String> GITHUB_SCOPES = List.of("read:user", "user:email");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public ProviderSettings {
        scopes = scopes == null || scopes.isEmpty() ? null : List.copyOf(scopes);
        authorizationParameters = authorizationParameters == null ? Map.of() : Map.copyOf(authorizationParameters);
        if (kind != null) {
            switch (kind) {
                case GOOGLE -> issuer = issuer == null ? GOOGLE_ISSUER : issuer;
                case MICROSOFT -> issuer = issuer == null ? MICROSOFT_ISSUER : issuer;
                case GITHUB -> {
                    authorizationEndpoint = authorizationEndpoint == null ? GITHUB_AUTHORIZE : authorizationEndpoint;
                    tokenEndpoint = tokenEndpoint == null ? GITHUB_TOKEN : tokenEndpoint;
                    apiBaseUri = apiBaseUri == null ? GITHUB_API : apiBaseUri;
                }
                case OIDC -> {
                }
            }
            if (scopes == null) {
                scopes = kind == ProviderKind.GITHUB ? GITHUB_SCOPES : OIDC_SCOPES;
            }
        }
        desktopRedirectUri = desktopRedirectUri == null ? redirectUri : desktopRedirectUri;
    }

    public boolean enterprise() {
        return organization != null;
    }

    /** Every problem with these settings, as {@code key: message} (never a secret's value). */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name: 1-63 of a-z 0-9 _ -, starting with a letter or digit");
        }
        if (kind == null) {
            problems.add("type: one of google, microsoft, github, oidc");
        }
        if (clientId == null || clientId.isBlank()) {
            problems.add("clientId: is required");
        }
        if (clientSecret == null || clientSecret.isBlank()) {
            problems.add("clientSecret: is required (Gatehouse is a confidential client of the provider)");
        }
        if (kind == ProviderKind.OIDC && issuer == null) {
            problems.add("issuer: is required for an oidc provider");
        }
        if (kind != null && kind.usesIdTokens() && scopes != null && !scopes.contains("openid")) {
            problems.add("scopes: must include openid");
        }
        checkUri(problems, "redirectUri", redirectUri, true);
        checkUri(problems, "desktopRedirectUri", desktopRedirectUri, false);
        checkUri(problems, "issuer", issuer, false);
        checkUri(problems, "authorizationEndpoint", authorizationEndpoint, false);
        checkUri(problems, "tokenEndpoint", tokenEndpoint, false);
        checkUri(problems, "jwksUri", jwksUri, false);
        checkUri(problems, "apiBaseUri", apiBaseUri, false);
        for (String reserved : List.of("state", "nonce", "code_challenge", "code_challenge_method", "redirect_uri",
                "client_id", "response_type")) {
            if (authorizationParameters.containsKey(reserved)) {
                problems.add("authorizationParameters: " + reserved + " is set by Gatehouse");
            }
        }
        return problems;
    }

    private static void checkUri(List<String> problems, String key, URI uri, boolean required) {
        if (uri == null) {
            if (required) {
                problems.add(key + ": is required");
            }
            return;
        }
        if (!uri.isAbsolute()) {
            problems.add(key + ": must be an absolute URI");
        }
        if (uri.getFragment() != null) {
            problems.add(key + ": must not have a fragment");
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", kind=" + kind + ", organization=" + organization + ", issuer="
                + issuer + ", clientId=" + clientId + "]";
    }
}
