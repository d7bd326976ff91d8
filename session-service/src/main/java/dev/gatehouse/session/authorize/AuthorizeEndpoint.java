package dev.gatehouse.session.authorize;

import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.client.RedirectUris;
import dev.gatehouse.session.oauth.FormParameters;
import dev.gatehouse.session.oauth.HtmlPage;
import dev.gatehouse.session.oauth.OAuthException;
import dev.gatehouse.session.oauth.Scopes;
import dev.gatehouse.session.oauth.TokenEndpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The authorization endpoint (RFC 6749 §3.1, OAuth 2.1): checks the client and its exact redirect URI first, and
 * never redirects anywhere else; an error about either is an HTML page. Every later error goes back to the redirect
 * URI with {@code state} and {@code iss} (RFC 9207). A valid request is parked under a login challenge and the user
 * is sent to identity-service's sign-in page with it (the login-provider model of Ory Hydra).
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/oauth2/authorize")
public class AuthorizeEndpoint {
    static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_STATE = 1024;
    private final ClientRegistry clients;
    private final AuthorizationStore store;
    private final ServerConfig config;
    private final Clock clock;

    public AuthorizeEndpoint(ClientRegistry clients, AuthorizationStore store, ServerConfig config, Clock clock) {
        this.clients = clients;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    @Operation(summary = "Authorization endpoint (response_type=code with PKCE S256)")
    @Get(produces = {MediaType.TEXT_HTML})
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        return handle(() -> FormParameters.ofQuery(query == null ? "" : query));
    }

    @Operation(summary = "Authorization endpoint, form-posted")
    @Post(produces = {MediaType.TEXT_HTML})
    @Consumes(MediaType.ALL)
    public HttpResponse<?> authorizePost(HttpRequest<?> request, @Body @Nullable String body) {
        return handle(() -> TokenEndpoint.form(request, body));
    }

    private HttpResponse<?> handle(java.util.function.Supplier<FormParameters> parameters) {
        FormParameters params;
        try {
            params = parameters.get();
        } catch (OAuthException e) {
            return errorPage(e.getMessage());
        }
        Optional<OAuthClient> found = params.get("client_id").flatMap(clients::find);
        if (found.isEmpty()) {
            return errorPage("The application that sent you here is not registered (unknown client_id).");
        }
        OAuthClient client = found.get();
        String redirectUri = params.get("redirect_uri").orElse(null);
        boolean redirectUriSent = redirectUri != null;
        if (redirectUri == null) {
            if (client.redirectUris().size() != 1 || client.redirectUris().get(0).startsWith("http://")) {
                return errorPage("redirect_uri is required for this application.");
            }
            redirectUri = client.redirectUris().get(0);
        } else if (!RedirectUris.matches(client.redirectUris(), redirectUri)) {
            return errorPage("The redirect_uri is not registered for this application.");
        }
        String state = params.get("state").orElse(null);
        try {
            if (state != null && state.length() > MAX_STATE) {
                state = null;
                throw OAuthException.invalidRequest("state is too long");
            }
            AuthorizationRequest parked = validate(client, redirectUri, redirectUriSent, state, params);
            String challenge = store.createChallenge(parked);
            return HttpResponse.status(HttpStatus.FOUND)
                    .header("Location", withQuery(config.loginUrlOrDefault(), Map.of("login_challenge", challenge)))
                    .header("Cache-Control", "no-store");
        } catch (OAuthException e) {
            return redirectError(redirectUri, e.error(), e.getMessage(), state);
        }
    }

    private AuthorizationRequest validate(OAuthClient client, String redirectUri, boolean redirectUriSent,
                                          @Nullable String state,
                                          FormParameters params) {
        String responseType = params.require("response_type");
        if (!"code".equals(responseType)) {
            throw new OAuthException("unsupported_response_type", "only response_type=code is supported", 400);
        }
        if (!client.allows(GrantType.AUTHORIZATION_CODE)) {
            throw OAuthException.unauthorizedClient("this client may not use the authorization code grant");
        }
        if (params.has("request") || params.has("request_uri")) {
            throw new OAuthException("request_not_supported", "request objects are not supported", 400);
        }
        String responseMode = params.get("response_mode").orElse("query");
        if (!"query".equals(responseMode)) {
            throw OAuthException.invalidRequest("only response_mode=query is supported");
        }
        if (params.get("prompt").map(p -> java.util.Arrays.asList(p.split(" ")).contains("none")).orElse(false)) {
            // silent authentication needs the user's browser session, which identity-service holds, not this
            // endpoint: answer as OIDC Core 3.1.2.6 allows, and the client falls back to an interactive request
            throw new OAuthException("login_required", "prompt=none is not supported; send the user to sign in",
                    400);
        }
        String challenge = params.get("code_challenge").orElse(null);
        String method = params.get("code_challenge_method").orElse(null);
        if (challenge == null) {
            if (method != null) {
                throw OAuthException.invalidRequest("code_challenge_method without code_challenge");
            }
            if (client.isPublic()) {
                throw OAuthException.invalidRequest("PKCE is required: send code_challenge with"
                        + " code_challenge_method=S256");
            }
        } else {
            if (!"S256".equals(method)) {
                throw OAuthException.invalidRequest("code_challenge_method must be S256");
            }
            if (!CODE_CHALLENGE.matcher(challenge).matches()) {
                throw OAuthException.invalidRequest("code_challenge must be the 43-character base64url SHA-256 of"
                        + " the verifier");
            }
        }
        Set<String> scopes = Scopes.allowed(Scopes.parse(params.require("scope")), client.scopes());
        String nonce = params.get("nonce").orElse(null);
        if (nonce != null && nonce.length() > 512) {
            throw OAuthException.invalidRequest("nonce is too long");
        }
        return new AuthorizationRequest(client.clientId(), redirectUri, redirectUriSent, new ArrayList<>(scopes), state, nonce,
                challenge, clock.instant());
    }

    /** The redirect back to the client with an error, {@code state} and {@code iss}. */
    HttpResponse<?> redirectError(String redirectUri, String error, String description, @Nullable String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        if (description != null) {
            params.put("error_description", description);
        }
        if (state != null) {
            params.put("state", state);
        }
        params.put("iss", config.issuer().toString());
        return HttpResponse.status(HttpStatus.FOUND).header("Location", withQuery(redirectUri, params))
                .header("Cache-Control", "no-store");
    }

    /** {@code uri} with {@code params} appended to its query (RFC 6749 §3.1.2: keep the existing query). */
    public static String withQuery(String uri, Map<String, String> params) {
        StringBuilder out = new StringBuilder(uri);
        char separator = URI.create(uri).getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> e : params.entrySet()) {
            out.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            separator = '&';
        }
        return out.toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    static HttpResponse<String> errorPage(String message) {
        return HtmlPage.render(HttpStatus.BAD_REQUEST, "Sign-in error", "This sign-in link is not valid", message,
                "Go back to the application and try again.");
    }
}
