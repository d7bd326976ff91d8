package dev.gatehouse.identity.agenticpal;

import dev.gatehouse.identity.agenticpal.AgenticPalSessions.PendingLogin;
import dev.gatehouse.identity.agenticpal.AgenticPalSessions.Session;
import dev.gatehouse.identity.apps.RedirectAllowlist;
import dev.gatehouse.identity.apps.Redirects;
import dev.gatehouse.identity.apps.Secrets;
import dev.gatehouse.identity.apps.UpstreamLogin;
import dev.gatehouse.identity.upstream.ProviderUnavailableException;
import dev.gatehouse.identity.upstream.UpstreamProvider;
import dev.gatehouse.identity.vault.FreshToken;
import dev.gatehouse.identity.vault.TokenVault;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.serde.annotation.Serdeable;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 003 (AgenticPal): Google sign-in whose Google tokens stay server-side (in the {@link TokenVault}), a
 * {@code session_id} cookie and sliding sessions in Redis. Paths, bodies and error codes are the seed's.
 */
@Controller
@Requires(property = "gatehouse.identity.agenticpal.enabled", value = "true")
public class AgenticPalController {
    private final AgenticPalConfig config;
    private final AgenticPalSessions sessions;
    private final UpstreamLogin login;
    private final TokenVault vault;
    private final RedirectAllowlist allowlist;

    public AgenticPalController(AgenticPalConfig config, AgenticPalSessions sessions, UpstreamLogin login,
                                TokenVault vault) {
        this.config = config;
        this.sessions = sessions;
        this.login = login;
        this.vault = vault;
        List<String> origins = new ArrayList<>();
        origins.add(config.frontendUrl().toString());
        if (config.allowedRedirectOrigins() != null) {
            origins.addAll(config.allowedRedirectOrigins());
        }
        this.allowlist = new RedirectAllowlist(origins);
    }

    @Serdeable
    public record LoginResponse(String authorization_url) {
    }

    @Serdeable
    public record SessionResponse(String session_id, @Nullable String user_email, boolean authenticated,
                                  Instant created_at) {
    }

    @Serdeable
    public record MessageResponse(String message) {
    }

    @Get(uri = "/auth/google/login", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<LoginResponse> start(HttpRequest<?> request, @Nullable @QueryValue String frontend_redirect) {
        URI target = frontend_redirect == null ? config.frontendUrl()
                : allowlist.check(frontend_redirect).orElseThrow(AgenticPalException::invalidRedirect);
        UpstreamProvider provider = provider();
        URI callback = callback();
        String sessionId = cookie(request).filter(id -> sessions.touch(id).isPresent()).orElseGet(sessions::create);
        String state = Secrets.token();
        UpstreamLogin.Started started;
        try {
            started = login.start(provider, state, callback, config.scopes(),
                    Map.of("access_type", "offline", "prompt", "consent", "include_granted_scopes", "true"));
        } catch (ProviderUnavailableException e) {
            throw AgenticPalException.providerUnavailable();
        }
        sessions.begin(state, new PendingLogin(Secrets.digest(sessionId), target.toString(),
                started.codeVerifier(), started.nonce()));
        return withCookie(HttpResponse.ok(new LoginResponse(started.authorizationUrl().toString())), sessionId)
                .header("Cache-Control", "no-store");
    }

    @Get(uri = "/auth/google/callback", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> callback(HttpRequest<?> request, @Nullable @QueryValue String code,
                                    @Nullable @QueryValue String state, @Nullable @QueryValue String error,
                                    @Nullable @QueryValue String iss) {
        PendingLogin pending = state == null ? null : sessions.consume(state).orElse(null);
        Optional<String> cookie = cookie(request);
        // the state is bound to the browser that started the login: another browser's state is refused
        if (pending == null || cookie.isEmpty() || !java.security.MessageDigest.isEqual(
                pending.sessionDigest().getBytes(), Secrets.digest(cookie.get()).getBytes())) {
            throw AgenticPalException.invalidState();
        }
        if (error != null) {
            throw AgenticPalException.tokenExchange("Google returned " + error.replaceAll("[^A-Za-z0-9_.-]", ""),
                    false);
        }
        if (code == null || code.isBlank()) {
            throw AgenticPalException.tokenExchange("no authorization code", false);
        }
        UpstreamProvider provider = provider();
        UpstreamLogin.Finished finished = login.finish(provider, code, pending.codeVerifier(), pending.nonce(),
                callback(), iss, true);
        return switch (finished) {
            case UpstreamLogin.Failed failed -> throw AgenticPalException.tokenExchange(failed.detail(),
                    failed.unavailable());
            case UpstreamLogin.SignedIn signedIn -> {
                Instant createdAt = sessions.touch(cookie.get()).map(Session::createdAt).orElse(Instant.now());
                sessions.delete(cookie.get());
                String sessionId = sessions.createSignedIn(signedIn.user().id(), signedIn.user().email(), createdAt);
                yield withCookie(Redirects.found(URI.create(pending.frontendRedirect())), sessionId)
                        .header("Cache-Control", "no-store");
            }
        };
    }

    @Get(uri = "/auth/session", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<SessionResponse> session(HttpRequest<?> request) {
        String id = cookie(request).orElseThrow(AgenticPalException::noSession);
        Session session = sessions.touch(id).orElseThrow(AgenticPalException::sessionExpired);
        boolean authenticated = session.userId() != null
                && vault.fresh(session.userId(), config.provider(), false) instanceof FreshToken.Fresh;
        return withCookie(HttpResponse.ok(new SessionResponse(id, session.userEmail(), authenticated,
                session.createdAt())), id).header("Cache-Control", "no-store");
    }

    @Post(uri = "/auth/refresh", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<MessageResponse> refresh(HttpRequest<?> request) {
        String id = cookie(request).orElseThrow(AgenticPalException::noSession);
        Session session = sessions.touch(id).orElseThrow(AgenticPalException::sessionExpired);
        if (session.userId() == null) {
            throw AgenticPalException.noRefreshToken();
        }
        return switch (vault.fresh(session.userId(), config.provider(), true)) {
            case FreshToken.Fresh ignored -> withCookie(HttpResponse.ok(
                    new MessageResponse("Credentials refreshed successfully")), id);
            case FreshToken.NotFound ignored -> throw AgenticPalException.noRefreshToken();
            case FreshToken.NoRefreshToken ignored -> throw AgenticPalException.noRefreshToken();
            case FreshToken.RefreshFailed failed -> throw AgenticPalException.refreshFailed(failed.detail(),
                    failed.unavailable());
        };
    }

    @Post(uri = "/auth/logout", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<MessageResponse> logout(HttpRequest<?> request) {
        cookie(request).ifPresent(id -> {
            sessions.touch(id).map(Session::userId).ifPresent(userId -> vault.delete(userId, config.provider()));
            sessions.delete(id);
        });
        Cookie cleared = cookieBase(Cookie.of(config.cookieName(), "")).maxAge(Duration.ZERO);
        return HttpResponse.ok(new MessageResponse("Successfully logged out")).cookie(cleared);
    }

    private UpstreamProvider provider() {
        return login.provider(config.provider()).orElseThrow(AgenticPalException::notConfigured);
    }

    private URI callback() {
        if (config.redirectUri() == null) {
            throw AgenticPalException.notConfigured();
        }
        return config.redirectUri();
    }

    private Optional<String> cookie(HttpRequest<?> request) {
        return request.getCookies().findCookie(config.cookieName()).map(Cookie::getValue)
                .filter(value -> !value.isEmpty());
    }

    private <T> MutableHttpResponse<T> withCookie(MutableHttpResponse<T> response, String sessionId) {
        return response.cookie(cookieBase(Cookie.of(config.cookieName(), sessionId)).maxAge(config.sessionTtl()));
    }

    private Cookie cookieBase(Cookie cookie) {
        cookie.httpOnly(true).secure(config.cookieSecure()).sameSite(SameSite.Lax).path("/");
        if (config.cookieDomain() != null && !config.cookieDomain().isBlank()) {
            cookie.domain(config.cookieDomain());
        }
        return cookie;
    }
}
