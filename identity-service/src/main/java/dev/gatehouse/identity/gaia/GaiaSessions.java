package dev.gatehouse.identity.gaia;

import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.contract.token.BearerTokens;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.SessionCookie;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.identity.apps.PlatformVerifiers;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import dev.gatehouse.kit.app.InvalidConfigurationException;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.env.Environment;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * GAIA's web session: the {@code wos_session} cookie holds session-service's sealed cookie (a JWE under the shared
 * cookie key: session id, handle, current access token). Opening it and verifying the access token identifies the
 * user without a call; an expired access token is refreshed at session-service and the new cookie set
 * (transparent refresh). Desktop and mobile apps present their access token as a bearer token instead.
 */
@Singleton
public class GaiaSessions {
    /** INSECURE, DEV/TEST ONLY (published): session-service's dev cookie key. */
    static final String DEV_COOKIE_KEY = "Z2F0ZWhvdXNlLWRldi1vbmx5LWNvb2tpZS1zZWFsISE=";
    private final GaiaConfig config;
    private final SessionCookie.Sealer sealer;
    private final SessionClient sessions;
    private final PlatformVerifiers verifiers;
    private final UserDirectory users;
    private final GaiaStates states;

    public GaiaSessions(GaiaConfig config, SessionClient sessions, PlatformVerifiers verifiers, UserDirectory users,
                        GaiaStates states, Environment environment) {
        this.config = config;
        this.states = states;
        this.sessions = sessions;
        this.verifiers = verifiers;
        this.users = users;
        boolean devOrTest = environment.getActiveNames().contains(Environment.DEVELOPMENT)
                || environment.getActiveNames().contains(Environment.TEST);
        String key = config.cookieKey() != null ? config.cookieKey() : devOrTest ? DEV_COOKIE_KEY : null;
        if (key == null) {
            throw new InvalidConfigurationException(List.of("gatehouse.identity.gaia.cookie-key: required (the same "
                    + "value as session-service's gatehouse.session.cookie-key)"));
        }
        if (!devOrTest && DEV_COOKIE_KEY.equals(key)) {
            throw new InvalidConfigurationException(List.of("gatehouse.identity.gaia.cookie-key: the published dev "
                    + "key is refused outside the dev and test environments"));
        }
        try {
            this.sealer = new SessionCookie.Sealer(Base64.getDecoder().decode(key));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of("gatehouse.identity.gaia.cookie-key: base64 of exactly "
                    + "32 bytes"));
        }
    }

    /** The user behind a request, and a new cookie value when the session's access token was refreshed. */
    public record Current(User user, Optional<String> refreshedCookie) {
    }

    public Current current(HttpRequest<?> request) {
        List<String> authorization = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (!authorization.isEmpty()) {
            String token = authorization.size() == 1 ? BearerTokens.extract(authorization.get(0)).orElse(null) : null;
            if (token == null) {
                throw ProblemException.bearerChallenge("malformed Authorization header", true);
            }
            Principal principal = verify(token).orElseThrow(() ->
                    ProblemException.bearerChallenge("the token is not valid or has expired", true));
            return new Current(user(principal), Optional.empty());
        }
        String value = cookie(request).orElseThrow(() -> unauthorized("the " + config.cookieName()
                + " cookie is missing"));
        SessionCookie opened = sealer.open(value).orElseThrow(() -> unauthorized("the session cookie is not valid"));
        if (states.signedOut(opened.sessionId())) {
            throw unauthorized("the session has ended: sign in again");
        }
        Optional<Principal> principal = opened.token().flatMap(this::verify);
        if (principal.isPresent()) {
            return new Current(user(principal.get()), Optional.empty());
        }
        SessionClient.SessionTokens refreshed = sessions.refresh(value)
                .orElseThrow(() -> unauthorized("the session has ended: sign in again"));
        Principal fresh = verify(refreshed.accessToken())
                .orElseThrow(() -> unauthorized("the session has ended: sign in again"));
        return new Current(user(fresh), Optional.ofNullable(refreshed.cookie()));
    }

    /** The session of the request's valid bearer token, else the one inside its cookie (if it is one of ours). */
    public Optional<String> sessionId(HttpRequest<?> request) {
        List<String> authorization = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (authorization.size() == 1) {
            Optional<String> bearer = BearerTokens.extract(authorization.get(0)).flatMap(this::verify)
                    .flatMap(Principal::sessionId);
            if (bearer.isPresent()) {
                return bearer;
            }
        }
        return cookie(request).flatMap(sealer::open).map(SessionCookie::sessionId);
    }

    public <T> MutableHttpResponse<T> writeCookie(MutableHttpResponse<T> response, String sealed) {
        return response.cookie(base(Cookie.of(config.cookieName(), sealed)).maxAge(config.cookieMaxAge()));
    }

    public <T> MutableHttpResponse<T> clearCookie(MutableHttpResponse<T> response) {
        return response.cookie(base(Cookie.of(config.cookieName(), "")).maxAge(Duration.ZERO));
    }

    /** A short-lived cookie binding a web sign-in to the browser that started it. */
    public Cookie bindingCookie(String name, String value, Duration maxAge) {
        return base(Cookie.of(name, value)).maxAge(maxAge);
    }

    private Cookie base(Cookie cookie) {
        cookie.httpOnly(true).secure(config.cookieSecure()).sameSite(SameSite.Lax).path("/");
        if (config.cookieDomain() != null && !config.cookieDomain().isBlank()) {
            cookie.domain(config.cookieDomain());
        }
        return cookie;
    }

    private Optional<String> cookie(HttpRequest<?> request) {
        return request.getCookies().findCookie(config.cookieName()).map(Cookie::getValue).filter(v -> !v.isBlank());
    }

    private Optional<Principal> verify(String token) {
        Verification verification = verifiers.forAudience(config.appAudience()).verify(token);
        return verification instanceof Principal principal && principal.sessionId().isPresent()
                && !states.signedOut(principal.sessionId().get()) ? Optional.of(principal) : Optional.empty();
    }

    private User user(Principal principal) {
        return users.find(new UserId(principal.subject()))
                .orElseThrow(() -> unauthorized("the session's user no longer exists"));
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail);
    }
}
