package dev.gatehouse.session.oauth;

import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Operation;

import java.util.EnumMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.List;
import java.util.Map;

/**
 * The token endpoint (RFC 6749 §3.2): form-encoded requests only, every parameter at most once, client
 * authenticated before the grant runs, {@code Cache-Control: no-store} on every answer. Grants that touch
 * PostgreSQL or Redis run on the blocking executor; client_credentials for a client already in the registry's cache
 * is pure computation (a hash and a signature) and is answered on the event loop, without the hand-off.
 */
@Controller("/oauth2")
public class TokenEndpoint {
    private final ClientAuthenticator authenticator;
    private final Map<GrantType, TokenGrant> grants = new EnumMap<>(GrantType.class);
    private final ExecutorService blocking;

    public TokenEndpoint(ClientAuthenticator authenticator, List<TokenGrant> grants,
                         @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.authenticator = authenticator;
        this.blocking = blocking;
        grants.forEach(g -> this.grants.put(g.type(), g));
    }

    @Operation(summary = "Token endpoint", description = "authorization_code (PKCE), refresh_token,"
            + " client_credentials and urn:ietf:params:oauth:grant-type:device_code")
    @Post("/token")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<HttpResponse<TokenResponse>> token(HttpRequest<?> request, @Body @Nullable String body) {
        FormParameters params = form(request, body);
        String grantName = params.require("grant_type");
        GrantType grantType = GrantType.fromWire(grantName).filter(g -> !"device_code".equals(grantName))
                .filter(grants::containsKey)
                .orElseThrow(() -> OAuthException.unsupportedGrantType("grant_type is not supported"));
        if (grantType == GrantType.CLIENT_CREDENTIALS && authenticator.clientCached(request, params)) {
            return CompletableFuture.completedFuture(exchange(grantType, request, params));
        }
        return CompletableFuture.supplyAsync(() -> exchange(grantType, request, params), blocking);
    }

    private HttpResponse<TokenResponse> exchange(GrantType grantType, HttpRequest<?> request, FormParameters params) {
        OAuthClient client = authenticator.authenticate(request, params);
        if (!client.allows(grantType)) {
            throw OAuthException.unauthorizedClient("this client may not use " + grantType.wireName());
        }
        TokenResponse response = grants.get(grantType).exchange(client, params, request);
        return HttpResponse.ok(response).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    /** The form parameters of a POST; {@code invalid_request} for another content type. */
    public static FormParameters form(HttpRequest<?> request, @Nullable String body) {
        MediaType type = request.getContentType().orElse(null);
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.getName().equals(type.getName())) {
            throw OAuthException.invalidRequest("send parameters as application/x-www-form-urlencoded");
        }
        return FormParameters.parse(body);
    }
}
