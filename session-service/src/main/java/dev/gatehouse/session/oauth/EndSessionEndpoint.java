package dev.gatehouse.session.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.contract.token.Claims;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.keys.SigningKeys;
import dev.gatehouse.session.session.SessionService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.security.Key;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * RP-initiated logout (OIDC RP-Initiated Logout 1.0). The ID token hint names the session; it must be signed by us
 * (it may have expired). The session is revoked, and the browser goes to {@code post_logout_redirect_uri} only if it
 * exactly matches one the client registered, with {@code state}; otherwise a plain signed-out page.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/oauth2/logout")
public class EndSessionEndpoint {
    private final SigningKeys keys;
    private final ClientRegistry clients;
    private final SessionService sessions;
    private final ServerConfig config;

    public EndSessionEndpoint(SigningKeys keys, ClientRegistry clients, SessionService sessions, ServerConfig config) {
        this.keys = keys;
        this.clients = clients;
        this.sessions = sessions;
        this.config = config;
    }

    @Operation(summary = "RP-initiated logout")
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> logout(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        FormParameters params;
        try {
            params = FormParameters.ofQuery(query == null ? "" : query);
        } catch (OAuthException e) {
            return page(HttpStatus.BAD_REQUEST, "This sign-out link is not valid.");
        }
        Optional<JWTClaimsSet> hint = params.get("id_token_hint").flatMap(this::ourIdToken);
        if (params.has("id_token_hint") && hint.isEmpty()) {
            return page(HttpStatus.BAD_REQUEST, "This sign-out link is not valid.");
        }
        String clientId = params.get("client_id")
                .or(() -> hint.flatMap(c -> Optional.ofNullable(c.getAudience()).filter(a -> a.size() == 1)
                        .map(a -> a.get(0))))
                .orElse(null);
        Optional<OAuthClient> client = Optional.ofNullable(clientId).flatMap(clients::find);
        if (hint.isPresent() && client.isPresent() && !hint.get().getAudience().contains(client.get().clientId())) {
            return page(HttpStatus.BAD_REQUEST, "This sign-out link is not valid.");
        }
        hint.map(c -> c.getClaim(Claims.SESSION_ID)).filter(String.class::isInstance).map(String.class::cast)
                .ifPresent(sid -> sessions.revoke(sid, "sign_out"));
        String redirect = params.get("post_logout_redirect_uri").orElse(null);
        if (redirect != null) {
            if (client.isEmpty() || !client.get().postLogoutRedirectUris().contains(redirect)) {
                return page(HttpStatus.BAD_REQUEST, "You are signed out. (The return address is not registered,"
                        + " so you were not sent back.)");
            }
            Map<String, String> back = new LinkedHashMap<>();
            params.get("state").ifPresent(state -> back.put("state", state));
            return HttpResponse.status(HttpStatus.FOUND).header("Location",
                    dev.gatehouse.session.authorize.AuthorizeEndpoint.withQuery(redirect, back))
                    .header("Cache-Control", "no-store");
        }
        return page(HttpStatus.OK, "You are signed out.");
    }

    /** The claims of an ID token we signed (expiry not checked: a hint may be old), else empty. */
    private Optional<JWTClaimsSet> ourIdToken(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWK key = JWKSet.parse(keys.jwks().json()).getKeyByKeyId(jwt.getHeader().getKeyID());
            if (key == null || !key.getAlgorithm().getName().equals(jwt.getHeader().getAlgorithm().getName())) {
                return Optional.empty();
            }
            Key publicKey = key.getKeyType().getValue().equals("RSA") ? key.toRSAKey().toPublicKey()
                    : key.toECKey().toPublicKey();
            if (!jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), publicKey))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return config.issuer().toString().equals(claims.getIssuer()) ? Optional.of(claims) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static HttpResponse<String> page(HttpStatus status, String message) {
        return HtmlPage.render(status, "Signed out", "Sign out", message);
    }
}
