package dev.gatehouse.identity.upstream;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GitHub: OAuth 2.0 authorization code with PKCE S256 (GitHub has no ID tokens), then its REST API: {@code GET /user}
 * for the account (its numeric {@code id} is the subject) and {@code GET /user/emails} for the primary address and
 * whether GitHub verified it.
 */
public final class GitHubUpstreamProvider implements UpstreamProvider {
    private static final Logger LOG = LoggerFactory.getLogger(GitHubUpstreamProvider.class);
    private final ProviderSettings settings;
    private final ProviderHttp http;
    private final ClientID clientId;
    private final Secret secret;

    GitHubUpstreamProvider(ProviderSettings settings, ProviderHttp http) {
        this.settings = settings;
        this.http = http;
        this.clientId = new ClientID(settings.clientId());
        this.secret = new Secret(settings.clientSecret());
    }

    @Override
    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public URI authorizationUrl(AuthorizationParams params) {
        Set<String> scopes = new LinkedHashSet<>(settings.scopes());
        scopes.addAll(params.extraScopes());
        AuthorizationRequest.Builder builder = new AuthorizationRequest.Builder(ResponseType.CODE, clientId)
                .endpointURI(settings.authorizationEndpoint())
                .redirectionURI(params.redirectUri())
                .scope(new Scope(scopes.toArray(String[]::new)))
                .state(new State(params.state()))
                .codeChallenge(Pkce.parseChallenge(params.codeChallenge()), CodeChallengeMethod.S256);
        Map<String, String> extra = new LinkedHashMap<>(settings.authorizationParameters());
        if (params.loginHint() != null) {
            extra.put("login", params.loginHint());
        }
        extra.putAll(params.extraParameters());
        extra.forEach(builder::customParameter);
        return builder.build().toURI();
    }

    @Override
    public ExchangeResult exchange(CodeExchange exchange) {
        TokenRequest request = new TokenRequest(settings.tokenEndpoint(), new ClientSecretBasic(clientId, secret),
                new AuthorizationCodeGrant(new AuthorizationCode(exchange.code()), exchange.redirectUri(),
                        new CodeVerifier(exchange.codeVerifier())));
        HTTPRequest httpRequest = request.toHTTPRequest();
        httpRequest.setAccept("application/json");
        TokenResponse response;
        try {
            HTTPResponse httpResponse = http.send(httpRequest);
            if (httpResponse.getStatusCode() >= 500) {
                return unavailable("token endpoint answered " + httpResponse.getStatusCode());
            }
            // GitHub answers errors with 200 and {"error": ...}: decide on the body, not the status
            response = TokenResponse.parse(httpResponse.getBodyAsJSONObject());
        } catch (IOException | ParseException e) {
            return unavailable("token endpoint did not answer usefully (" + e.getClass().getSimpleName() + ")");
        }
        if (!response.indicatesSuccess()) {
            var error = response.toErrorResponse().getErrorObject();
            return new ExchangeResult.Failure(ExchangeResult.Reason.CODE_REJECTED, settings.name()
                    + " refused the code (" + (error == null || error.getCode() == null ? "no error code" : error.getCode()) + ")");
        }
        var tokens = response.toSuccessResponse().getTokens();
        String bearer = tokens.getAccessToken().getValue();
        try {
            Map<String, Object> user = JSONObjectUtils.parse(get("/user", bearer));
            Object id = user.get("id");
            if (!(id instanceof Number) && !(id instanceof String)) {
                return unavailable("/user has no id");
            }
            String subject = id instanceof Number n ? Long.toString(n.longValue()) : (String) id;
            String email = null;
            boolean verified = false;
            List<Object> emails = JSONArrayUtils.parse(get("/user/emails", bearer));
            for (Object item : emails) {
                if (item instanceof Map<?, ?> entry && Boolean.TRUE.equals(entry.get("primary"))
                        && entry.get("email") instanceof String address) {
                    email = address;
                    verified = Boolean.TRUE.equals(entry.get("verified"));
                }
            }
            if (email == null) {
                return new ExchangeResult.Failure(ExchangeResult.Reason.NO_EMAIL,
                        settings.name() + " gave no primary e-mail address");
            }
            String name = user.get("name") instanceof String s && !s.isBlank() ? s
                    : user.get("login") instanceof String login ? login : null;
            String picture = user.get("avatar_url") instanceof String s ? s : null;
            UpstreamIdentity identity = new UpstreamIdentity(settings.name(), settings.apiBaseUri().toString(),
                    subject, email.strip(), verified, name, picture);
            return new ExchangeResult.Success(identity, OidcUpstreamProvider.tokens(tokens));
        } catch (IOException | java.text.ParseException | ApiException e) {
            return unavailable("API call failed (" + e.getMessage() + ")");
        }
    }

    private String get(String path, String bearer) throws IOException, ApiException {
        String base = settings.apiBaseUri().toString().replaceAll("/+$", "");
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, URI.create(base + path));
        request.setAuthorization("Bearer " + bearer);
        request.setAccept("application/vnd.github+json");
        request.setHeader("X-GitHub-Api-Version", "2022-11-28");
        HTTPResponse response = http.send(request);
        if (response.getStatusCode() != 200) {
            throw new ApiException(path + " answered " + response.getStatusCode());
        }
        return response.getBody();
    }

    private ExchangeResult unavailable(String what) {
        LOG.warn("provider {}: {}", settings.name(), what);
        return new ExchangeResult.Failure(ExchangeResult.Reason.PROVIDER_UNAVAILABLE, settings.name() + ": " + what);
    }

    private static final class ApiException extends Exception {
        ApiException(String message) {
            super(message, null, false, false);
        }
    }
}
