package dev.gatehouse.session.oauth;

import dev.gatehouse.contract.token.Claims;
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
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Operation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Token introspection (RFC 7662). Only an authenticated confidential client learns anything, and only about tokens
 * meant for it: an access token is {@code active} for a caller whose {@code resourceAudience} (or client id) is in
 * the token's {@code aud}; a refresh token only for the client it was issued to. Everything else, including
 * revoked, expired and foreign tokens, is {@code {"active": false}} and nothing more.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/oauth2/introspect")
public class IntrospectionEndpoint {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);
    private final ClientAuthenticator authenticator;
    private final OwnTokens tokens;
    private final SessionService sessions;
    private final TokenDenylist denylist;

    public IntrospectionEndpoint(ClientAuthenticator authenticator, OwnTokens tokens, SessionService sessions,
                                 TokenDenylist denylist) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.sessions = sessions;
        this.denylist = denylist;
    }

    @Operation(summary = "Introspect a token (RFC 7662); the caller must be a resource server in its audience")
    @Post
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> introspect(HttpRequest<?> request, @Body @Nullable String body) {
        FormParameters params = TokenEndpoint.form(request, body);
        OAuthClient caller = authenticator.authenticate(request, params);
        if (caller.isPublic()) {
            throw OAuthException.invalidClient();
        }
        String token = params.require("token");
        Map<String, Object> answer = token.startsWith(SessionService.REFRESH_TOKEN_PREFIX)
                ? refreshToken(caller, token) : accessToken(caller, token);
        return HttpResponse.ok(answer).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    private Map<String, Object> accessToken(OAuthClient caller, String token) {
        String audience = caller.resourceAudience() != null ? caller.resourceAudience() : caller.clientId();
        Verification verification = tokens.verify(token, audience);
        if (!(verification instanceof Principal principal)) {
            return INACTIVE;
        }
        if (principal.sessionId().isPresent() ? !sessions.isActive(principal.sessionId().get())
                : principal.tokenId().map(denylist::denied).orElse(false)) {
            return INACTIVE;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("token_type", "Bearer");
        answer.put("scope", String.join(" ", new TreeSet<>(principal.scopes())));
        principal.clientId().ifPresent(id -> answer.put("client_id", id));
        answer.put("sub", principal.subject());
        answer.put("aud", principal.audience().size() == 1 ? principal.audience().iterator().next()
                : new TreeSet<>(principal.audience()));
        answer.put("iss", principal.issuer());
        answer.put("exp", principal.expiresAt().getEpochSecond());
        copy(principal, answer, "iat");
        copy(principal, answer, "nbf");
        principal.tokenId().ifPresent(jti -> answer.put("jti", jti));
        principal.sessionId().ifPresent(sid -> answer.put(Claims.SESSION_ID, sid));
        principal.organizationId().ifPresent(org -> {
            answer.put(Claims.ORGANIZATION_ID, org);
            answer.put(Claims.PERMISSIONS, new TreeSet<>(principal.permissions()));
        });
        if (principal.platformAdmin()) {
            answer.put(Claims.PLATFORM_ADMIN, true);
        }
        return answer;
    }

    private Map<String, Object> refreshToken(OAuthClient caller, String token) {
        Optional<SessionService.RefreshTokenState> state = sessions.refreshTokenState(token);
        if (state.isEmpty() || !state.get().clientId().equals(caller.clientId()) || !state.get().usable()) {
            return INACTIVE;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("token_type", "refresh_token");
        answer.put("client_id", caller.clientId());
        answer.put("sub", state.get().userId());
        answer.put("scope", String.join(" ", new TreeSet<>(state.get().scopes())));
        answer.put("exp", state.get().expiresAt().getEpochSecond());
        answer.put(Claims.SESSION_ID, state.get().sessionId());
        return answer;
    }

    private static void copy(Principal principal, Map<String, Object> answer, String claim) {
        Object value = principal.claims().get(claim);
        if (value != null) {
            answer.put(claim, value);
        }
    }
}
