package dev.gatehouse.identity.gaia;

import dev.gatehouse.identity.apps.Redirects;
import dev.gatehouse.identity.apps.Secrets;
import dev.gatehouse.identity.apps.UpstreamLogin;
import dev.gatehouse.identity.gaia.GaiaStates.Pending;
import dev.gatehouse.identity.gaia.GaiaStates.Platform;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.upstream.Pkce;
import dev.gatehouse.identity.upstream.ProviderUnavailableException;
import dev.gatehouse.identity.upstream.UpstreamProvider;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;

import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 000 (GAIA), under its own paths ({@code /api/v1/oauth/...}): the web sign-in ends with the sealed HttpOnly
 * session cookie ({@code wos_session}); the desktop and mobile sign-ins end with a 302 to the app's registered deep
 * link carrying a one-time authorization code, which the app redeems with its PKCE verifier at session-service's
 * token endpoint. No token ever travels in a URL.
 */
@Controller("/api/v1")
@Requires(property = "gatehouse.identity.gaia.enabled", value = "true")
public class GaiaController {
    private static final String BINDING_COOKIE = "gaia_signin";
    private final GaiaConfig config;
    private final GaiaStates states;
    private final UpstreamLogin login;
    private final AppAuthorization authorization;
    private final SessionClient sessions;
    private final SignInCompletion completion;
    private final GaiaSessions gaiaSessions;

    public GaiaController(GaiaConfig config, GaiaStates states, UpstreamLogin login, AppAuthorization authorization,
                          SessionClient sessions, SignInCompletion completion, GaiaSessions gaiaSessions) {
        this.config = config;
        this.states = states;
        this.login = login;
        this.authorization = authorization;
        this.sessions = sessions;
        this.completion = completion;
        this.gaiaSessions = gaiaSessions;
    }

    @Serdeable
    public record UrlResponse(String url) {
    }

    @Serdeable
    public record CurrentUser(String user_id, @Nullable String email, @Nullable String name,
                              @Nullable String picture_url) {
    }

    @Serdeable
    public record MessageResponse(String message) {
    }

    /** Web: straight to the provider; the browser is bound to the sign-in by a short-lived HttpOnly cookie. */
    @Get("/oauth/login/workos")
    public HttpResponse<?> webStart() {
        String state = Secrets.token();
        String binding = Secrets.token();
        UpstreamLogin.Started started = start(required(config.webCallbackUri(), "web-callback-uri"), state);
        states.put(state, new Pending(Platform.WEB, started.codeVerifier(), started.nonce(), null,
                Secrets.digest(binding)));
        return Redirects.found(started.authorizationUrl()).header("Cache-Control", "no-store")
                .cookie(gaiaSessions.bindingCookie(BINDING_COOKIE, binding, config.stateTtl()));
    }

    @Get("/oauth/workos/callback")
    public HttpResponse<?> webCallback(HttpRequest<?> request, @Nullable @QueryValue String code,
                                       @Nullable @QueryValue String state, @Nullable @QueryValue String error,
                                       @Nullable @QueryValue String iss) {
        Pending pending = pending(state, Platform.WEB);
        String binding = request.getCookies().findCookie(BINDING_COOKIE).map(c -> c.getValue()).orElse("");
        if (pending.browserDigest() == null || !MessageDigest.isEqual(pending.browserDigest()
                .getBytes(StandardCharsets.UTF_8), Secrets.digest(binding).getBytes(StandardCharsets.UTF_8))) {
            return loginError("invalid_state");
        }
        if (error != null || code == null || code.isBlank()) {
            return loginError(error != null ? "access_denied" : "missing_code");
        }
        UpstreamLogin.Finished finished = login.finish(provider(), code, pending.codeVerifier(), pending.nonce(),
                config.webCallbackUri(), iss, false);
        if (!(finished instanceof UpstreamLogin.SignedIn signedIn)) {
            return loginError("sign_in_failed");
        }
        SessionClient.SessionTokens session = sessions.open(new SessionClient.OpenSession(
                completion.assertion(signedIn.user(), null), config.webClientId(), null, null,
                SessionClient.Delivery.COOKIE, request.getHeaders().get(HttpHeaders.USER_AGENT),
                request.getRemoteAddress().getAddress().getHostAddress()));
        MutableHttpResponse<?> response = Redirects.found(frontend("/redirect"));
        gaiaSessions.writeCookie(response, session.cookie());
        return response.header("Cache-Control", "no-store")
                .cookie(gaiaSessions.bindingCookie(BINDING_COOKIE, "", java.time.Duration.ZERO));
    }

    /** Desktop: the app sends its own PKCE challenge (and state); the browser goes to the provider. */
    @Get("/oauth/login/workos/desktop")
    public HttpResponse<?> desktopStart(@Nullable @QueryValue String code_challenge,
                                        @Nullable @QueryValue String code_challenge_method,
                                        @Nullable @QueryValue String state, @Nullable @QueryValue String redirect_uri) {
        return appStart(Platform.DESKTOP, code_challenge, code_challenge_method, state, redirect_uri)
                .map(url -> (HttpResponse<?>) Redirects.found(url).header("Cache-Control", "no-store"))
                .orElseThrow();
    }

    /** Mobile: as desktop, but answers {@code {"url"}} for the app to open in the system browser. */
    @Get(uri = "/oauth/login/workos/mobile", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<UrlResponse> mobileStart(@Nullable @QueryValue String code_challenge,
                                                 @Nullable @QueryValue String code_challenge_method,
                                                 @Nullable @QueryValue String state,
                                                 @Nullable @QueryValue String redirect_uri) {
        URI url = appStart(Platform.MOBILE, code_challenge, code_challenge_method, state, redirect_uri).orElseThrow();
        return HttpResponse.ok(new UrlResponse(url.toString())).header("Cache-Control", "no-store");
    }

    @Get("/oauth/workos/desktop/callback")
    public HttpResponse<?> desktopCallback(@Nullable @QueryValue String code, @Nullable @QueryValue String state,
                                           @Nullable @QueryValue String error, @Nullable @QueryValue String iss) {
        return appCallback(Platform.DESKTOP, code, state, error, iss);
    }

    @Get("/oauth/workos/mobile/callback")
    public HttpResponse<?> mobileCallback(@Nullable @QueryValue String code, @Nullable @QueryValue String state,
                                          @Nullable @QueryValue String error, @Nullable @QueryValue String iss) {
        return appCallback(Platform.MOBILE, code, state, error, iss);
    }

    /** The signed-in user, from the {@code wos_session} cookie (refreshed transparently) or an app's bearer token. */
    @Get(uri = "/user/me", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<CurrentUser> me(HttpRequest<?> request) {
        GaiaSessions.Current current = gaiaSessions.current(request);
        MutableHttpResponse<CurrentUser> response = HttpResponse.ok(new CurrentUser(current.user().id(),
                current.user().email(), current.user().name(), current.user().pictureUrl()));
        current.refreshedCookie().ifPresent(cookie -> gaiaSessions.writeCookie(response, cookie));
        return response.header("Cache-Control", "no-store");
    }

    /** Revokes the session at session-service and clears the cookie; idempotent. */
    @Post(uri = "/oauth/logout", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<MessageResponse> logout(HttpRequest<?> request) {
        gaiaSessions.sessionId(request).ifPresent(sid -> {
            sessions.revoke(sid);
            states.markSignedOut(sid);
        });
        MutableHttpResponse<MessageResponse> response = HttpResponse.ok(new MessageResponse("Logged out successfully"));
        gaiaSessions.clearCookie(response);
        return response.header("Cache-Control", "no-store");
    }

    private Optional<URI> appStart(Platform platform, @Nullable String challenge, @Nullable String method,
                                   @Nullable String appState, @Nullable String redirectUri) {
        if (challenge == null || !Pkce.isChallenge(challenge)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED,
                    "code_challenge is required: BASE64URL(SHA-256(code_verifier)), 43 characters");
        }
        if (!"S256".equals(method)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "code_challenge_method must be S256");
        }
        if (appState != null && (appState.isEmpty() || appState.length() > 512)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "state must be 1-512 characters");
        }
        boolean desktop = platform == Platform.DESKTOP;
        String clientId = desktop ? config.desktopClientId() : config.mobileClientId();
        String appRedirect = redirectUri != null ? redirectUri
                : desktop ? config.desktopRedirectUri() : config.mobileRedirectUri();
        return switch (authorization.open(clientId, appRedirect, config.appScopes(), challenge, method, appState)) {
            case AppAuthorization.Refused refused ->
                    throw new ProblemException(ProblemType.VALIDATION_FAILED, refused.detail());
            case AppAuthorization.ErrorRedirect redirect -> Optional.of(redirect.location());
            case AppAuthorization.Challenge opened -> {
                String state = Secrets.token();
                URI callback = required(desktop ? config.desktopCallbackUri() : config.mobileCallbackUri(),
                        desktop ? "desktop-callback-uri" : "mobile-callback-uri");
                UpstreamLogin.Started started = start(callback, state);
                states.put(state, new Pending(platform, started.codeVerifier(), started.nonce(),
                        opened.loginChallenge(), null));
                yield Optional.of(started.authorizationUrl());
            }
        };
    }

    private HttpResponse<?> appCallback(Platform platform, @Nullable String code, @Nullable String state,
                                        @Nullable String error, @Nullable String iss) {
        Pending pending = pending(state, platform);
        String challenge = pending.loginChallenge();
        if (error != null || code == null || code.isBlank()) {
            return toApp(sessions.rejectChallenge(challenge, "access_denied",
                    error != null ? "the user did not sign in at the provider" : "no authorization code"));
        }
        URI callback = platform == Platform.DESKTOP ? config.desktopCallbackUri() : config.mobileCallbackUri();
        return switch (login.finish(provider(), code, pending.codeVerifier(), pending.nonce(), callback, iss, false)) {
            case UpstreamLogin.Failed failed -> toApp(sessions.rejectChallenge(challenge, "access_denied",
                    "sign-in at the provider failed"));
            case UpstreamLogin.SignedIn signedIn ->
                    toApp(sessions.acceptChallenge(challenge, completion.assertion(signedIn.user(), null)));
        };
    }

    private HttpResponse<?> toApp(Optional<String> redirect) {
        return redirect.map(location -> (HttpResponse<?>) Redirects.found(URI.create(location))
                        .header("Cache-Control", "no-store"))
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION_FAILED,
                        "the app's authorization request expired: start the sign-in again"));
    }

    private Pending pending(@Nullable String state, Platform platform) {
        Optional<Pending> pending = state == null ? Optional.empty() : states.consume(state);
        if (pending.isEmpty() || pending.get().platform() != platform) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "invalid or expired state: sign in again");
        }
        return pending.get();
    }

    private HttpResponse<?> loginError(String error) {
        return Redirects.found(frontend("/login?error=" + error)).header("Cache-Control", "no-store");
    }

    private URI frontend(String pathAndQuery) {
        return URI.create(config.frontendUrl().toString().replaceAll("/+$", "") + pathAndQuery);
    }

    private UpstreamLogin.Started start(URI callback, String state) {
        try {
            return login.start(provider(), state, callback, List.of(), Map.of());
        } catch (ProviderUnavailableException e) {
            throw new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE, "the sign-in provider could not be reached");
        }
    }

    private UpstreamProvider provider() {
        return login.provider(config.provider()).orElseThrow(() -> new ProblemException(
                ProblemType.SERVICE_UNAVAILABLE, "the sign-in provider is not configured"));
    }

    private static URI required(@Nullable URI uri, String key) {
        if (uri == null) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "gatehouse.identity.gaia." + key
                    + " is not set");
        }
        return uri;
    }
}
