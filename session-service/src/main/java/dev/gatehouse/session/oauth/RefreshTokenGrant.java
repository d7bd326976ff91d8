package dev.gatehouse.session.oauth;

import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.session.SessionService;
import dev.gatehouse.session.token.TokenMinter;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * {@code refresh_token}: rotates the presented token (see {@link SessionService#refresh}) and mints a new access
 * token with fresh permissions. A narrower {@code scope} narrows the access token only; the new refresh token keeps
 * the original grant.
 */
@Singleton
public class RefreshTokenGrant implements TokenGrant {
    private final SessionService sessions;
    private final TokenIssuer issuer;
    private final TokenMinter minter;

    public RefreshTokenGrant(SessionService sessions, TokenIssuer issuer, TokenMinter minter) {
        this.sessions = sessions;
        this.issuer = issuer;
        this.minter = minter;
    }

    @Override
    public GrantType type() {
        return GrantType.REFRESH_TOKEN;
    }

    @Override
    public TokenResponse exchange(OAuthClient client, FormParameters params, HttpRequest<?> request) {
        String presented = params.require("refresh_token");
        Set<String> requested = params.get("scope").map(Scopes::parse).orElse(null);
        // an audience asked for now must be one of the client's; without one, the session's audience of sign-in
        boolean asked = params.has("resource") || params.has("audience");
        var asking = TokenIssuer.audience(client, params);
        var outcome = sessions.<TokenResponse>refresh(presented, client, requested,
                minter.expiryFor(client.accessTokenTtl().toSeconds()),
                (session, granted) -> issuer.respondToRefresh(session, client, granted,
                        asked || session.audience().isEmpty() ? asking : session.audience()));
        return switch (outcome) {
            case SessionService.Refused<TokenResponse> refused ->
                    throw new OAuthException(refused.error(), refused.description(), 400);
            case SessionService.Rotated<TokenResponse> rotated -> rotated.issued().withRefreshToken(
                    rotated.refreshToken());
        };
    }
}
