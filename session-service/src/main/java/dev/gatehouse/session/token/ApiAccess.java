package dev.gatehouse.session.token;

import dev.gatehouse.contract.token.BearerTokens;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.Rejection;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.oauth.TokenDenylist;
import dev.gatehouse.session.session.SessionService;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Who may call session-service's own APIs, decided inside the service (not only at the gateway). Every caller
 * presents an access token for the Gatehouse API audience; a token of a revoked session, or a revoked
 * client_credentials token (RFC 7009, {@link TokenDenylist}), is refused at once.
 * <ul>
 *   <li>admin API: a token with {@code platform_admin} (a platform admin's session, or a client declared
 *       {@code platformAdmin});</li>
 *   <li>internal API: a client_credentials token with scope {@value #INTERNAL_SCOPE} (identity-service,
 *       gateway-edge);</li>
 *   <li>self-service (a user's own sessions): any user token.</li>
 * </ul>
 * Failures are problem+json: 401 with {@code WWW-Authenticate: Bearer} without a valid token, 403 when the token is
 * valid but not enough.
 */
@Singleton
public class ApiAccess {
    public static final String INTERNAL_SCOPE = "gatehouse:internal";
    private final OwnTokens tokens;
    private final SessionService sessions;
    private final TokenDenylist denylist;
    private final ClientRegistry clients;

    public ApiAccess(OwnTokens tokens, SessionService sessions, TokenDenylist denylist, ClientRegistry clients) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.denylist = denylist;
        this.clients = clients;
    }

    public Principal requirePlatformAdmin(HttpRequest<?> request) {
        Principal principal = authenticate(request);
        // a client's token is worth what the client is now: one demoted or deleted since keeps no rights
        boolean stillAdmin = principal.sessionId().isPresent()
                || principal.clientId().flatMap(clients::find).map(OAuthClient::platformAdmin).orElse(false);
        if (!principal.platformAdmin() || !stillAdmin) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs a platform administrator");
        }
        return principal;
    }

    public Principal requireInternalService(HttpRequest<?> request) {
        Principal principal = authenticate(request);
        boolean stillInternal = principal.clientId().flatMap(clients::find)
                .map(c -> c.scopes().contains(INTERNAL_SCOPE)).orElse(false);
        if (principal.sessionId().isPresent() || !principal.hasScope(INTERNAL_SCOPE) || !stillInternal) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs a service token with scope " + INTERNAL_SCOPE);
        }
        return principal;
    }

    /** A user's token (it has a session). */
    public Principal requireUser(HttpRequest<?> request) {
        Principal principal = authenticate(request);
        if (principal.sessionId().isEmpty()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs a user's token");
        }
        return principal;
    }

    public Principal authenticate(HttpRequest<?> request) {
        List<String> headers = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (headers.isEmpty()) {
            throw ProblemException.bearerChallenge("a bearer token is required", false);
        }
        String token = headers.size() == 1 ? BearerTokens.extract(headers.get(0)).orElse(null) : null;
        if (token == null) {
            throw ProblemException.bearerChallenge("malformed Authorization header", true);
        }
        Verification verification = tokens.verifyForApi(token);
        if (verification instanceof Rejection rejection) {
            throw ProblemException.bearerChallenge(rejection.kind().equals("TokenExpired") ? "the token has expired"
                    : "the token is not valid", true);
        }
        Principal principal = (Principal) verification;
        if (principal.sessionId().isPresent() && !sessions.isActive(principal.sessionId().get())) {
            throw ProblemException.bearerChallenge("the session has ended", true);
        }
        if (principal.sessionId().isEmpty() && principal.tokenId().map(denylist::denied).orElse(false)) {
            throw ProblemException.bearerChallenge("the token has been revoked", true);
        }
        if (principal.sessionId().isEmpty() && principal.clientId().flatMap(clients::find).isEmpty()) {
            throw ProblemException.bearerChallenge("the token's client no longer exists", true);
        }
        return principal;
    }
}
