package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.revocation.Revocations;
import dev.gatehouse.gateway.route.GatewayRoute;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code X-API-Key} (seed 001), resolved from the in-memory {@link ApiKeyTable}: no network hop. */
@Singleton
public class ApiKeyAuthenticator implements Authenticator {
    public static final String HEADER = "X-API-Key";
    static final String NAME = "api-key";
    /** Keys are {@code gh_live_} plus base64url; anything much longer is not one. */
    private static final int MAX_LENGTH = 256;
    private final ApiKeyTable keys;
    private final Revocations revocations;
    private final TokenPrincipals principals;
    private final Clock clock;

    public ApiKeyAuthenticator(ApiKeyTable keys, Revocations revocations, TokenPrincipals principals, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.principals = principals;
        this.clock = clock;
    }

    @Override
    public GatewayRoute.AuthenticatorKind kind() {
        return GatewayRoute.AuthenticatorKind.API_KEY;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(HttpRequest<?> request) {
        String presented = request.getHeaders().get(HEADER);
        if (presented == null) {
            return CompletableFuture.completedFuture(AuthResult.NO_CREDENTIAL);
        }
        return CompletableFuture.completedFuture(check(presented.strip()));
    }

    private AuthResult check(String presented) {
        if (presented.isEmpty() || presented.length() > MAX_LENGTH) {
            return new AuthResult.Rejected("the API key is not valid");
        }
        ApiKeyTable.ApiKey key = keys.lookup(presented).orElse(null);
        if (key == null || revocations.apiKeyRevoked(key.keyId())) {
            return new AuthResult.Rejected("the API key is not valid");
        }
        if (key.expiresAt() != null && !clock.instant().isBefore(key.expiresAt())) {
            return new AuthResult.Rejected("the API key has expired");
        }
        var permissions = Set.copyOf(key.permissions());
        return new AuthResult.Authenticated(new GatewayPrincipal(GatewayPrincipal.Kind.API_KEY, key.keyId(),
                key.organizationId(), null, permissions, principals.roles(permissions, null), Set.of(key.groupId()),
                false, key.expiresAt(), NAME));
    }
}
