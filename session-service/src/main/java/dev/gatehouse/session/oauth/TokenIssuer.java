package dev.gatehouse.session.oauth;

import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.session.PermissionSource;
import dev.gatehouse.session.session.SessionRecord;
import dev.gatehouse.session.token.TokenMinter;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;

/** Builds token responses for a session: access token, ID token for {@code openid}, and the refresh token. */
@Singleton
public class TokenIssuer {
    private final TokenMinter minter;
    private final PermissionSource permissions;

    public TokenIssuer(TokenMinter minter, PermissionSource permissions) {
        this.minter = minter;
        this.permissions = permissions;
    }

    /**
     * The audience a token for {@code client} carries: the one it asked for with {@code resource} (RFC 8707) or
     * {@code audience}, which must be one of its audiences ({@code invalid_target} otherwise), else all of them.
     */
    public static List<String> audience(OAuthClient client, FormParameters params) {
        if (params.has("resource") && params.has("audience")) {
            throw OAuthException.invalidRequest("use resource or audience, not both");
        }
        return audience(client, params.get("resource").or(() -> params.get("audience")).orElse(null));
    }

    /** The audience for a requested one (null: the client's default); {@code invalid_target} if not allowed. */
    public static List<String> audience(OAuthClient client, @Nullable String requested) {
        if (requested == null) {
            return client.audiences().isEmpty() ? List.of(client.clientId()) : client.audiences();
        }
        if (!client.audiences().contains(requested)) {
            throw new OAuthException("invalid_target", "audience " + requested + " is not allowed for this client", 400);
        }
        return List.of(requested);
    }

    public TokenMinter.Minted accessToken(SessionRecord session, OAuthClient client, Set<String> scopes,
                                          List<String> audience) {
        return minter.accessToken(new TokenMinter.AccessTokenSpec(session.userId(), client.clientId(), audience, scopes,
                session.id(), session.organizationId(),
                session.organizationId() == null ? Set.of()
                        : permissions.permissions(session.userId(), session.organizationId()),
                session.userClaims(), session.platformAdmin(), client.accessTokenTtl().toSeconds()));
    }

    /** The answer to a sign-in: an ID token with {@code openid}. */
    public TokenResponse respond(SessionRecord session, OAuthClient client, Set<String> scopes, List<String> audience,
                                 @Nullable String refreshToken, @Nullable String nonce) {
        return respond(session, client, scopes, audience, refreshToken, nonce, true);
    }

    /**
     * The answer to a refresh: the access token only. OIDC Core §12.2 lets a refresh response omit the ID token,
     * and it halves the signing work of the busiest grant; clients read a fresh identity at userinfo.
     */
    public TokenResponse respondToRefresh(SessionRecord session, OAuthClient client, Set<String> scopes,
                                          List<String> audience) {
        return respond(session, client, scopes, audience, null, null, false);
    }

    private TokenResponse respond(SessionRecord session, OAuthClient client, Set<String> scopes, List<String> audience,
                                  @Nullable String refreshToken, @Nullable String nonce, boolean withIdToken) {
        TokenMinter.Minted access = accessToken(session, client, scopes, audience);
        String idToken = withIdToken && scopes.contains(Scopes.OPENID)
                ? minter.idToken(session.userId(), client.clientId(), session.id(), session.authTime(), nonce, scopes,
                session.userClaims(), client.accessTokenTtl().toSeconds(), access.token())
                : null;
        return new TokenResponse(access.token(), "Bearer", client.accessTokenTtl().toSeconds(), refreshToken,
                String.join(" ", new java.util.TreeSet<>(scopes)), idToken);
    }

    /** Whether a sign-in with these scopes gets a refresh token from this client. */
    public static boolean issuesRefreshToken(OAuthClient client, Set<String> scopes) {
        return client.allows(dev.gatehouse.session.client.GrantType.REFRESH_TOKEN)
                && (scopes.contains(Scopes.OFFLINE_ACCESS) || client.refreshWithoutOfflineAccess());
    }
}
