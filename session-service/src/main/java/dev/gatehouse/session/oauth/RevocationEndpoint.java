package dev.gatehouse.session.oauth;

import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.session.SessionService;
import dev.gatehouse.session.token.OwnTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;

import java.util.Set;

/**
 * Token revocation (RFC 7009). The client authenticates and may revoke only its own tokens. Revoking a refresh
 * token, or an access token of a session, ends that session (its refresh family and, through SessionRevoked, its
 * access tokens at every gateway); an access token without a session (client_credentials) is denylisted until it
 * expires. An unknown or invalid token is answered 200, as the RFC requires, so the answer reveals nothing.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/oauth2/revoke")
public class RevocationEndpoint {
    private static final Set<String> HINTS = Set.of("access_token", "refresh_token");
    private final ClientAuthenticator authenticator;
    private final SessionService sessions;
    private final OwnTokens tokens;
    private final TokenDenylist denylist;

    public RevocationEndpoint(ClientAuthenticator authenticator, SessionService sessions, OwnTokens tokens,
                              TokenDenylist denylist) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.tokens = tokens;
        this.denylist = denylist;
    }

    @Operation(summary = "Revoke a refresh or access token (RFC 7009)")
    @Post
    @Consumes(MediaType.ALL)
    public HttpResponse<?> revoke(HttpRequest<?> request, @Body @Nullable String body) {
        FormParameters params = TokenEndpoint.form(request, body);
        OAuthClient client = authenticator.authenticate(request, params);
        String token = params.require("token");
        String hint = params.get("token_type_hint").orElse(null);
        if (hint != null && !HINTS.contains(hint)) {
            throw new OAuthException("unsupported_token_type", "token_type_hint must be access_token or refresh_token",
                    400);
        }
        if (token.startsWith(SessionService.REFRESH_TOKEN_PREFIX)) {
            sessions.refreshTokenSession(token).ifPresent(owner -> {
                if (owner.clientId().equals(client.clientId())) {
                    sessions.revoke(owner.sessionId(), "token_revoked");
                }
            });
        } else {
            Verification verification = tokens.verifyAnyAudience(token);
            if (verification instanceof Principal principal
                    && principal.clientId().filter(client.clientId()::equals).isPresent()) {
                if (principal.sessionId().isPresent()) {
                    sessions.revoke(principal.sessionId().get(), "token_revoked");
                } else {
                    principal.tokenId().ifPresent(jti -> denylist.deny(jti, principal.expiresAt()));
                }
            }
        }
        return HttpResponse.ok().header("Cache-Control", "no-store");
    }
}
