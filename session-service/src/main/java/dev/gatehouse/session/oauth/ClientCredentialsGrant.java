package dev.gatehouse.session.oauth;

import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.token.TokenMinter;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code client_credentials} for service-to-service calls: the client is the subject, the token is restricted to
 * the client's audiences, and there is never a refresh token (the client simply asks again).
 */
@Singleton
public class ClientCredentialsGrant implements TokenGrant {
    private final TokenMinter minter;

    public ClientCredentialsGrant(TokenMinter minter) {
        this.minter = minter;
    }

    @Override
    public GrantType type() {
        return GrantType.CLIENT_CREDENTIALS;
    }

    @Override
    public TokenResponse exchange(OAuthClient client, FormParameters params, HttpRequest<?> request) {
        Set<String> serviceScopes = new LinkedHashSet<>(client.scopes());
        serviceScopes.removeAll(Scopes.USER_SCOPES);
        Set<String> scopes = params.get("scope").map(Scopes::parse).orElse(serviceScopes);
        Scopes.allowed(scopes, serviceScopes);
        var audience = TokenIssuer.audience(client, params);
        TokenMinter.Minted token = minter.accessToken(new TokenMinter.AccessTokenSpec(client.clientId(),
                client.clientId(), audience, scopes, null, null, Set.of(), Map.of(), client.platformAdmin(),
                client.accessTokenTtl().toSeconds()));
        return new TokenResponse(token.token(), "Bearer", client.accessTokenTtl().toSeconds(), null,
                String.join(" ", new java.util.TreeSet<>(scopes)), null);
    }
}
