package dev.gatehouse.session.authorize;

import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.oauth.FormParameters;
import dev.gatehouse.session.oauth.OAuthException;
import dev.gatehouse.session.oauth.TokenGrant;
import dev.gatehouse.session.oauth.TokenIssuer;
import dev.gatehouse.session.oauth.TokenResponse;
import dev.gatehouse.session.session.SessionService;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code authorization_code}: a code is redeemed once, by the client it was issued to, with the same redirect URI,
 * and with the PKCE verifier of its challenge. A verifier without a challenge is refused (a downgrade attempt), and
 * a replayed code revokes the session its first redemption opened (RFC 6749 §4.1.2).
 */
@Singleton
public class AuthorizationCodeGrant implements TokenGrant {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodeGrant.class);
    /** RFC 7636 §4.1: 43-128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private final AuthorizationStore store;
    private final SessionService sessions;
    private final TokenIssuer issuer;

    public AuthorizationCodeGrant(AuthorizationStore store, SessionService sessions, TokenIssuer issuer) {
        this.store = store;
        this.sessions = sessions;
        this.issuer = issuer;
    }

    @Override
    public GrantType type() {
        return GrantType.AUTHORIZATION_CODE;
    }

    @Override
    public TokenResponse exchange(OAuthClient client, FormParameters params, HttpRequest<?> request) {
        String code = params.require("code");
        String verifier = params.get("code_verifier").orElse(null);
        if (verifier != null && !VERIFIER.matcher(verifier).matches()) {
            throw OAuthException.invalidRequest("code_verifier must be 43-128 unreserved characters");
        }
        if (code.length() > 128) {
            throw OAuthException.invalidGrant("unknown authorization code");
        }
        String sessionId = sessions.newSessionId();
        AuthorizationGrantData data = switch (store.redeem(code, sessionId)) {
            case AuthorizationStore.Unknown unknown -> throw OAuthException.invalidGrant("unknown or expired"
                    + " authorization code");
            case AuthorizationStore.Replayed replayed -> {
                if (sessions.revoke(replayed.sessionId(), "code_replay")) {
                    LOG.warn("authorization code replayed by client {}: session {} revoked", client.clientId(),
                            replayed.sessionId());
                }
                throw OAuthException.invalidGrant("authorization code already used");
            }
            case AuthorizationStore.Redeemed redeemed -> redeemed.data();
        };
        AuthorizationRequest original = data.request();
        if (!original.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("authorization code was issued to another client");
        }
        String redirectUri = params.get("redirect_uri").orElse(null);
        if (original.redirectUriSent() ? !original.redirectUri().equals(redirectUri)
                : redirectUri != null && !original.redirectUri().equals(redirectUri)) {
            throw OAuthException.invalidGrant("redirect_uri does not match the authorization request");
        }
        if (original.codeChallenge() == null) {
            if (verifier != null) {
                throw OAuthException.invalidGrant("code_verifier sent, but the authorization request had no"
                        + " code_challenge");
            }
        } else if (verifier == null) {
            throw OAuthException.invalidGrant("code_verifier is required");
        } else if (!MessageDigest.isEqual(s256(verifier), original.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            throw OAuthException.invalidGrant("code_verifier does not match the code_challenge");
        }
        Set<String> scopes = new LinkedHashSet<>(original.scopes());
        var audience = TokenIssuer.audience(client, params);
        var opened = sessions.open(new SessionService.OpenRequest(sessionId, data.userId(), data.organizationId(),
                client, scopes, audience, data.userClaims(), data.platformAdmin(), data.authTime(),
                request.getHeaders().get(HttpHeaders.USER_AGENT), request.getRemoteAddress().getHostString(),
                TokenIssuer.issuesRefreshToken(client, scopes), false));
        if (store.replayed(code)) {
            // replayed while this session was being opened: the replay's revocation found nothing to revoke
            sessions.revoke(sessionId, "code_replay");
            throw OAuthException.invalidGrant("authorization code already used");
        }
        return issuer.respond(opened.session(), client, scopes, audience, opened.refreshToken(), original.nonce());
    }

    private static byte[] s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
