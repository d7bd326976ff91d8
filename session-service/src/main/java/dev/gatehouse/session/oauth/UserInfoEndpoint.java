package dev.gatehouse.session.oauth;

import dev.gatehouse.contract.token.BearerTokens;
import dev.gatehouse.contract.token.Claims;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.session.session.SessionService;
import dev.gatehouse.session.token.OwnTokens;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Operation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OIDC userinfo endpoint: the claims an access token with {@code openid} grants, for a live session. Errors
 * follow RFC 6750 §3: {@code invalid_token} (401) and {@code insufficient_scope} (403) in
 * {@code WWW-Authenticate} and in a JSON body.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/oauth2/userinfo")
public class UserInfoEndpoint {
    private static final List<String> USER_CLAIMS = List.of(Claims.EMAIL, Claims.EMAIL_VERIFIED, Claims.NAME,
            Claims.PICTURE_URL);
    private final OwnTokens tokens;
    private final SessionService sessions;

    public UserInfoEndpoint(OwnTokens tokens, SessionService sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Operation(summary = "OIDC userinfo")
    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> get(HttpRequest<?> request) {
        return userInfo(request);
    }

    @Operation(summary = "OIDC userinfo (POST)")
    @Post
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> post(HttpRequest<?> request) {
        return userInfo(request);
    }

    private HttpResponse<Map<String, Object>> userInfo(HttpRequest<?> request) {
        List<String> headers = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        String token = headers.size() == 1 ? BearerTokens.extract(headers.get(0)).orElse(null) : null;
        if (token == null) {
            return error(HttpStatus.UNAUTHORIZED, headers.isEmpty() ? null : "invalid_request");
        }
        Verification verification = tokens.verifyAnyAudience(token);
        if (!(verification instanceof Principal principal) || principal.sessionId().isEmpty()
                || !sessions.isActive(principal.sessionId().get())) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_token");
        }
        if (!principal.hasScope(Scopes.OPENID)) {
            return error(HttpStatus.FORBIDDEN, "insufficient_scope");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(Claims.SUBJECT, principal.subject());
        for (String name : USER_CLAIMS) {
            Object value = principal.claims().get(name);
            if (value != null) {
                claims.put(name, value);
            }
        }
        return HttpResponse.ok(claims).header("Cache-Control", "no-store");
    }

    private static HttpResponse<Map<String, Object>> error(HttpStatus status, String error) {
        String challenge = error == null ? "Bearer" : "Bearer error=\"" + error + "\"";
        return HttpResponse.<Map<String, Object>>status(status)
                .body(Map.<String, Object>of("error", error == null ? "invalid_token" : error))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .header("Cache-Control", "no-store");
    }
}
