package dev.gatehouse.session.internal;

import dev.gatehouse.contract.token.SessionCookie;
import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.oauth.OAuthException;
import dev.gatehouse.session.oauth.Scopes;
import dev.gatehouse.session.oauth.TokenIssuer;
import dev.gatehouse.session.oauth.TokenResponse;
import dev.gatehouse.session.session.SessionRecord;
import dev.gatehouse.session.session.SessionService;
import dev.gatehouse.session.token.ApiAccess;
import dev.gatehouse.session.token.TokenMinter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions for identity-service (after it authenticated a user) and gateway-edge (transparent refresh), with a
 * service token carrying {@code gatehouse:internal}. Bearer clients get tokens; browser flows get a sealed cookie
 * value ({@link SessionCookie}) whose refresh is server-side: the cookie's handle is the long-lived credential,
 * stored hashed, and never leaves the cookie.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/internal/v1/sessions")
@Tag(name = "internal")
public class InternalSessionController {
    private static final Set<String> DEFAULT_SCOPES = Set.of("openid", "profile", "email");
    private final ApiAccess access;
    private final ClientRegistry clients;
    private final SessionService sessions;
    private final TokenIssuer issuer;
    private final TokenMinter minter;
    private final SessionCookies cookies;
    private final Clock clock;

    public InternalSessionController(ApiAccess access, ClientRegistry clients, SessionService sessions,
                                     TokenIssuer issuer, TokenMinter minter, SessionCookies cookies, Clock clock) {
        this.access = access;
        this.clients = clients;
        this.sessions = sessions;
        this.issuer = issuer;
        this.minter = minter;
        this.cookies = cookies;
        this.clock = clock;
    }

    /**
     * Open a session.
     *
     * @param user      the authenticated user
     * @param clientId  the client the session is for (e.g. the hosted web app's, or a desktop app's)
     * @param scopes    granted scopes (default openid profile email); must be allowed for the client
     * @param audience  one of the client's audiences (default: all of them)
     * @param delivery  {@code tokens} (bearer clients) or {@code cookie} (browser flows)
     * @param userAgent the user's user agent
     * @param ipAddress the user's address
     */
    @Serdeable
    public record CreateSession(@Nullable UserAssertion user, @Nullable String clientId, @Nullable List<String> scopes,
                                @Nullable String audience, @Nullable String delivery, @Nullable String userAgent,
                                @Nullable String ipAddress) {
    }

    /**
     * A session's credentials. {@code cookie} only for browser delivery; {@code refreshToken} only for bearer
     * delivery with offline access.
     */
    @Serdeable
    public record SessionTokens(String sessionId, String accessToken, long expiresIn, Instant expiresAt,
                                @Nullable String refreshToken, @Nullable String idToken, @Nullable String cookie) {
    }

    @Serdeable
    public record Refresh(@Nullable String cookie) {
    }

    @Serdeable
    public record SwitchOrganization(@Nullable String organizationId, @Nullable String cookie) {
    }

    @Operation(summary = "Open a session for an authenticated user")
    @Post
    public HttpResponse<SessionTokens> create(HttpRequest<?> request, @Body CreateSession body) {
        access.requireInternalService(request);
        List<FieldError> problems = new ArrayList<>();
        if (body.user() == null) {
            problems.add(new FieldError("user", "is required"));
        } else {
            problems.addAll(body.user().problems("user."));
        }
        String delivery = body.delivery() == null ? "tokens" : body.delivery();
        if (!delivery.equals("tokens") && !delivery.equals("cookie")) {
            problems.add(new FieldError("delivery", "must be tokens or cookie"));
        }
        OAuthClient client = body.clientId() == null ? null : clients.find(body.clientId()).orElse(null);
        if (client == null) {
            problems.add(new FieldError("clientId", "must name a registered client"));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "the session request is not valid", problems);
        }
        Set<String> scopes;
        List<String> audience;
        try {
            scopes = body.scopes() == null ? defaultScopes(client)
                    : Scopes.allowed(Scopes.parse(String.join(" ", body.scopes())), client.scopes());
            audience = TokenIssuer.audience(client, body.audience());
        } catch (OAuthException e) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, e.getMessage());
        }
        boolean browser = delivery.equals("cookie");
        UserAssertion user = body.user();
        var opened = sessions.open(new SessionService.OpenRequest(null, user.userId(), user.organizationId(), client,
                scopes, audience, user.claims(), user.isPlatformAdmin(),
                user.authTime() == null ? clock.instant() : user.authTime(), body.userAgent(), body.ipAddress(),
                !browser && TokenIssuer.issuesRefreshToken(client, scopes), browser));
        try {
            TokenResponse tokens = issuer.respond(opened.session(), client, scopes, audience, opened.refreshToken(),
                    null);
            return HttpResponse.created(answer(opened.session(), tokens, opened.handle()));
        } catch (RuntimeException e) {
            // no credential of the session reached anyone: do not leave it open
            sessions.revoke(opened.session().id(), "issuance_failed");
            throw e;
        }
    }

    @Operation(summary = "Refresh a browser session: a fresh cookie for a sealed cookie whose session lives")
    @Post("/refresh")
    public SessionTokens refresh(HttpRequest<?> request, @Body Refresh body) {
        access.requireInternalService(request);
        SessionCookie cookie = open(body.cookie());
        OAuthClient client = clientOf(cookie.sessionId());
        Instant exp = minter.expiryFor(client.accessTokenTtl().toSeconds());
        SessionRecord session = sessions.resumeBrowser(cookie.sessionId(), cookie.handle(), exp)
                .orElseThrow(InternalSessionController::ended);
        return reissue(session, client, cookie.handle());
    }

    @Operation(summary = "Move a session to another organization")
    @Post("/{sessionId}/organization")
    public SessionTokens switchOrganization(HttpRequest<?> request, @PathVariable String sessionId,
                                            @Body SwitchOrganization body) {
        access.requireInternalService(request);
        if (body.organizationId() == null || !UserAssertion.ID.matcher(body.organizationId()).matches()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "organizationId is required",
                    List.of(new FieldError("organizationId", "must be 1-64 of A-Z a-z 0-9 _ -")));
        }
        SessionCookie cookie = body.cookie() == null ? null : open(body.cookie());
        if (cookie != null && !cookie.sessionId().equals(sessionId)) {
            throw ended();
        }
        OAuthClient client = clientOf(sessionId);
        Instant exp = minter.expiryFor(client.accessTokenTtl().toSeconds());
        if (cookie != null && sessions.resumeBrowser(sessionId, cookie.handle(), exp).isEmpty()) {
            throw ended();
        }
        SessionRecord session = sessions.switchOrganization(sessionId, body.organizationId(), exp)
                .orElseThrow(InternalSessionController::ended);
        return reissue(session, client, cookie == null ? null : cookie.handle());
    }

    @Operation(summary = "Revoke a session (sign-out)")
    @Delete("/{sessionId}")
    public HttpResponse<Void> revoke(HttpRequest<?> request, @PathVariable String sessionId) {
        access.requireInternalService(request);
        sessions.revoke(sessionId, "sign_out");
        return HttpResponse.noContent();
    }

    private SessionTokens reissue(SessionRecord session, OAuthClient client, @Nullable String handle) {
        List<String> audience = session.audience().isEmpty() ? TokenIssuer.audience(client, (String) null)
                : session.audience();
        TokenResponse tokens = issuer.respondToRefresh(session, client, session.scopes(), audience);
        return answer(session, tokens, handle);
    }

    private SessionTokens answer(SessionRecord session, TokenResponse tokens, @Nullable String handle) {
        String cookie = handle == null ? null : cookies.seal(session.id(), handle, tokens.accessToken());
        return new SessionTokens(session.id(), tokens.accessToken(), tokens.expiresIn(),
                Instant.ofEpochSecond(clock.instant().getEpochSecond() + tokens.expiresIn()), tokens.refreshToken(),
                tokens.idToken(), cookie);
    }

    private SessionCookie open(@Nullable String sealed) {
        return cookies.open(sealed).orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED,
                "the session cookie is not valid"));
    }

    private OAuthClient clientOf(String sessionId) {
        Optional<SessionRecord> session = sessions.find(sessionId);
        return session.flatMap(s -> clients.find(s.clientId())).orElseThrow(InternalSessionController::ended);
    }

    private static Set<String> defaultScopes(OAuthClient client) {
        Set<String> scopes = new LinkedHashSet<>(DEFAULT_SCOPES);
        scopes.retainAll(client.scopes());
        return scopes;
    }

    private static ProblemException ended() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "the session has ended");
    }
}
