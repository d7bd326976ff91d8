package dev.gatehouse.session.oauth;

import dev.gatehouse.session.client.ClientSpec;

import java.util.LinkedHashSet;
import java.util.Set;

/** Parsing and checking of {@code scope} parameters (RFC 6749 §3.3). */
public final class Scopes {
    public static final String OPENID = "openid";
    public static final String OFFLINE_ACCESS = "offline_access";
    /** Scopes about a user, meaningless for client_credentials. */
    public static final Set<String> USER_SCOPES = Set.of(OPENID, OFFLINE_ACCESS, "profile", "email");

    private Scopes() {
    }

    /** The space-separated scope list; {@code invalid_scope} when a token is malformed. */
    public static Set<String> parse(String scope) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String token : scope.split(" ", -1)) {
            if (!ClientSpec.SCOPE_TOKEN.matcher(token).matches()) {
                throw OAuthException.invalidScope("malformed scope");
            }
            scopes.add(token);
        }
        return scopes;
    }

    /** {@code requested} if the client may ask for all of it, else {@code invalid_scope}. */
    public static Set<String> allowed(Set<String> requested, Set<String> clientScopes) {
        for (String scope : requested) {
            if (!clientScopes.contains(scope)) {
                throw OAuthException.invalidScope("scope " + scope + " is not allowed for this client");
            }
        }
        return requested;
    }
}
