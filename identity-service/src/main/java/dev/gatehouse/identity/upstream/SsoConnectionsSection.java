package dev.gatehouse.identity.upstream;

import dev.gatehouse.kit.bootstrap.BootstrapDocument;

import java.net.URI;
import java.util.List;
import java.util.function.Function;

/**
 * The bootstrap file's {@code ssoConnections} section (docs/identity-upstream.md): upstream providers declared in the
 * file, each deployment-wide or, with {@code organization} (a slug), that organization's enterprise SSO.
 */
final class SsoConnectionsSection {
    static final String NAME = "ssoConnections";

    private SsoConnectionsSection() {
    }

    static List<ProviderSettings> read(BootstrapDocument document, URI defaultRedirectUri,
                                       Function<String, String> environment) {
        return document.section(NAME, entry -> read(entry, defaultRedirectUri, environment));
    }

    static ProviderSettings read(BootstrapDocument.Entry entry, URI defaultRedirectUri,
                                 Function<String, String> environment) {
        String name = entry.string("name");
        String type = entry.string("type");
        ProviderKind kind = ProviderKind.parse(type).orElse(null);
        String organization = entry.string("organization");
        URI issuer = uri(entry, "issuer");
        String clientId = entry.string("clientId");
        String secret = entry.secret("clientSecret", environment);
        List<String> scopes = entry.strings("scopes");
        URI redirectUri = uri(entry, "redirectUri");
        URI desktopRedirectUri = uri(entry, "desktopRedirectUri");
        URI authorizationEndpoint = uri(entry, "authorizationEndpoint");
        URI tokenEndpoint = uri(entry, "tokenEndpoint");
        URI jwksUri = uri(entry, "jwksUri");
        URI apiBaseUri = uri(entry, "apiBaseUri");
        entry.rejectUnknownKeys();
        ProviderSettings settings = new ProviderSettings(name, kind, organization, issuer, clientId, secret, scopes,
                redirectUri == null ? defaultRedirectUri : redirectUri, desktopRedirectUri, authorizationEndpoint,
                tokenEndpoint, jwksUri, apiBaseUri, null);
        for (String problem : settings.problems()) {
            int colon = problem.indexOf(':');
            entry.problem(problem.substring(0, colon), problem.substring(colon + 2));
        }
        if (organization != null && !organization.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
            entry.problem("organization", "must be an organization's slug");
        }
        return settings;
    }

    private static URI uri(BootstrapDocument.Entry entry, String key) {
        String value = entry.string(key);
        if (value == null) {
            return null;
        }
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            entry.problem(key, "is not a URI");
            return null;
        }
    }
}
