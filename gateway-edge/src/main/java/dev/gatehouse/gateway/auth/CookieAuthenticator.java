package dev.gatehouse.gateway.auth;

import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.SessionCookie;
import dev.gatehouse.contract.token.TokenExpired;
import dev.gatehouse.gateway.revocation.Revocations;
import dev.gatehouse.gateway.route.GatewayRoute;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The sealed browser-session cookie (seed 000/004): opened with the shared cookie key, its access token verified
 * locally; once that token has expired (or when the cookie had no room for it) the session is refreshed through
 * session-service ({@link SessionRefresher}) and the new cookie set on the response.
 */
@Singleton
public class CookieAuthenticator implements Authenticator {
    static final String NAME = "cookie";
    private static final Logger LOG = LoggerFactory.getLogger(CookieAuthenticator.class);
    private final AuthConfig config;
    private final SessionCookie.Sealer sealer;
    private final Verifiers verifiers;
    private final Revocations revocations;
    private final TokenPrincipals principals;
    private final SessionRefresher refresher;

    public CookieAuthenticator(AuthConfig config, Verifiers verifiers, Revocations revocations,
                               TokenPrincipals principals, SessionRefresher refresher) {
        this.config = config;
        this.sealer = config.cookieKey() == null || config.cookieKey().isBlank() ? null
                : new SessionCookie.Sealer(Base64.getDecoder().decode(config.cookieKey().strip()));
        this.verifiers = verifiers;
        this.revocations = revocations;
        this.principals = principals;
        this.refresher = refresher;
    }

    @Override
    public GatewayRoute.AuthenticatorKind kind() {
        return GatewayRoute.AuthenticatorKind.COOKIE;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(HttpRequest<?> request) {
        if (sealer == null) {
            return done(AuthResult.NO_CREDENTIAL);
        }
        for (String name : config.cookieNames()) {
            Cookie cookie = request.getCookies().get(name);
            if (cookie != null && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                return authenticate(name, cookie.getValue());
            }
        }
        return done(AuthResult.NO_CREDENTIAL);
    }

    private CompletionStage<AuthResult> authenticate(String name, String sealed) {
        SessionCookie session = sealer.open(sealed).orElse(null);
        if (session == null) {
            return done(rejected(name, "the session cookie is not valid"));
        }
        if (revocations.sessionRevoked(session.sessionId())) {
            return done(rejected(name, "the session has been revoked"));
        }
        if (session.token().isPresent()) {
            AuthResult local = verify(name, session.sessionId(), session.token().get(), List.of());
            if (local != null) {
                return done(local);
            }
        }
        return refresher.refresh(sealed).handle((refreshed, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
                if (cause instanceof SessionRefresher.SessionEnded) {
                    return rejected(name, "the session has ended");
                }
                LOG.warn("refreshing a browser session failed: {}", cause.toString());
                return new AuthResult.Unavailable("the session could not be refreshed");
            }
            AuthResult fresh = verify(name, session.sessionId(), refreshed.accessToken(),
                    List.of(cookie(name, refreshed.cookie(), config.cookieMaxAge().toSeconds())));
            return fresh != null ? fresh : rejected(name, "the refreshed session token is not valid");
        });
    }

    /** The result for a token of the session; null when it has expired (refresh it). */
    private AuthResult verify(String name, String sessionId, String token, List<Cookie> setCookies) {
        return switch (verifiers.verify(token)) {
            case Verifiers.Untrusted untrusted -> rejected(name, "the session token is not valid");
            case Verifiers.Verified verified -> {
                if (verified.entry().external()) {
                    yield rejected(name, "the session token is not valid");
                }
                yield switch (verified.verification()) {
                    case Principal principal when principal.sessionId().map(sessionId::equals).orElse(false) ->
                            new AuthResult.Authenticated(principals.of(principal,
                                    principal.organizationId().orElse(null), NAME), setCookies);
                    case Principal other -> rejected(name, "the session token is not valid");
                    case TokenExpired expired -> null;
                    default -> rejected(name, "the session token is not valid");
                };
            }
        };
    }

    private AuthResult.Rejected rejected(String name, String reason) {
        return new AuthResult.Rejected(reason, List.of(cookie(name, "", 0)));
    }

    private Cookie cookie(String name, String value, long maxAge) {
        return Cookie.of(name, value).path("/").httpOnly(true).secure(config.cookieSecure()).sameSite(SameSite.Lax)
                .maxAge(maxAge);
    }

    private static CompletionStage<AuthResult> done(AuthResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
