package dev.gatehouse.identity.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenID Provider (google, microsoft, any other): discovery (OIDC Discovery §4, issuer checked), authorization
 * code flow with PKCE S256 and a nonce, ID token validation with Nimbus's {@link IDTokenValidator} against the
 * provider's JWKS (cached, refreshed on unknown {@code kid}). Microsoft's multi-tenant issuer template
 * ({@code https://login.microsoftonline.com/{tenantid}/v2.0}) is resolved with the token's {@code tid}.
 */
public final class OidcUpstreamProvider implements UpstreamProvider {
    private static final Logger LOG = LoggerFactory.getLogger(OidcUpstreamProvider.class);
    private static final String TENANT_PLACEHOLDER = "{tenantid}";
    private static final int MAX_TENANT_VALIDATORS = 1000;

    private final ProviderSettings settings;
    private final ProviderHttp http;
    private final Clock clock;
    private final Duration discoveryRetry;
    private final ClientID clientId;
    private final Secret secret;
    private volatile Resolved resolved;
    private volatile Instant failedAt;

    /** Metadata and the validators built from it, fetched on first use. */
    private record Resolved(OIDCProviderMetadata metadata, URI authorizationEndpoint, URI tokenEndpoint,
                            String issuerTemplate, JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms,
                            Map<String, IDTokenValidator> validators, boolean issParameterRequired,
                            boolean basicAuth) {
    }

    OidcUpstreamProvider(ProviderSettings settings, ProviderHttp http, Clock clock, Duration discoveryRetry) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.discoveryRetry = discoveryRetry;
        this.clientId = new ClientID(settings.clientId());
        this.secret = new Secret(settings.clientSecret());
    }

    @Override
    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public URI authorizationUrl(AuthorizationParams params) {
        Resolved provider = resolve();
        Set<String> scopes = new LinkedHashSet<>(settings.scopes());
        scopes.addAll(params.extraScopes());
        AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope(scopes.toArray(String[]::new)), clientId, params.redirectUri())
                .endpointURI(provider.authorizationEndpoint())
                .state(new State(params.state()))
                .nonce(new Nonce(params.nonce()))
                .codeChallenge(Pkce.parseChallenge(params.codeChallenge()), CodeChallengeMethod.S256);
        if (params.loginHint() != null) {
            builder.loginHint(params.loginHint());
        }
        Map<String, String> extra = new java.util.LinkedHashMap<>(settings.authorizationParameters());
        extra.putAll(params.extraParameters());
        extra.forEach(builder::customParameter);
        return builder.build().toURI();
    }

    @Override
    public ExchangeResult exchange(CodeExchange exchange) {
        Resolved provider;
        try {
            provider = resolve();
        } catch (ProviderUnavailableException e) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.PROVIDER_UNAVAILABLE, e.getMessage());
        }
        if (exchange.responseIssuer() != null) {
            if (!issuerMatches(provider, exchange.responseIssuer())) {
                return new ExchangeResult.Failure(ExchangeResult.Reason.ISSUER_MISMATCH,
                        "the authorization response's iss is not " + settings.name() + "'s issuer");
            }
        } else if (provider.issParameterRequired()) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.ISSUER_MISMATCH,
                    settings.name() + " sends iss in authorization responses (RFC 9207) and none was given");
        }
        ClientAuthentication auth = provider.basicAuth() ? new ClientSecretBasic(clientId, secret)
                : new ClientSecretPost(clientId, secret);
        TokenRequest request = new TokenRequest(provider.tokenEndpoint(), auth, new AuthorizationCodeGrant(
                new AuthorizationCode(exchange.code()), exchange.redirectUri(), new CodeVerifier(exchange.codeVerifier())));
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send(request.toHTTPRequest()));
        } catch (IOException | ParseException e) {
            LOG.warn("provider {}: token endpoint failed: {}", settings.name(), e.getClass().getSimpleName());
            return new ExchangeResult.Failure(ExchangeResult.Reason.PROVIDER_UNAVAILABLE,
                    settings.name() + "'s token endpoint did not answer usefully");
        }
        if (!response.indicatesSuccess()) {
            TokenErrorResponse error = response.toErrorResponse();
            String code = error.getErrorObject() == null ? null : error.getErrorObject().getCode();
            if (error.getErrorObject() != null && error.getErrorObject().getHTTPStatusCode() >= 500) {
                return new ExchangeResult.Failure(ExchangeResult.Reason.PROVIDER_UNAVAILABLE,
                        settings.name() + "'s token endpoint failed");
            }
            return new ExchangeResult.Failure(ExchangeResult.Reason.CODE_REJECTED,
                    settings.name() + " refused the code (" + (code == null ? "no error code" : code) + ")");
        }
        if (!(response instanceof OIDCTokenResponse oidc) || oidc.getOIDCTokens().getIDToken() == null) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.INVALID_ID_TOKEN,
                    settings.name() + " returned no ID token");
        }
        Tokens tokens = oidc.getOIDCTokens();
        JWT idToken = oidc.getOIDCTokens().getIDToken();
        JWTClaimsSet unverified;
        try {
            unverified = idToken.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.INVALID_ID_TOKEN, "the ID token is not a JWT");
        }
        String expectedIssuer = expectedIssuer(provider, unverified);
        if (expectedIssuer == null || !expectedIssuer.equals(unverified.getIssuer())) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.ISSUER_MISMATCH,
                    "the ID token's iss is not " + settings.name() + "'s issuer");
        }
        JWTClaimsSet claims;
        try {
            claims = validator(provider, expectedIssuer).validate(idToken, null).toJWTClaimsSet();
        } catch (BadJOSEException | JOSEException | com.nimbusds.oauth2.sdk.ParseException e) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.INVALID_ID_TOKEN,
                    "the ID token is not valid: " + safeMessage(e));
        }
        Object nonce = claims.getClaim("nonce");
        if (exchange.expectedNonce() == null || !(nonce instanceof String n)
                || !MessageDigest.isEqual(n.getBytes(StandardCharsets.UTF_8),
                exchange.expectedNonce().getBytes(StandardCharsets.UTF_8))) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.NONCE_MISMATCH,
                    "the ID token's nonce is not this sign-in's");
        }
        String email = string(claims, "email");
        Boolean verified = bool(claims, "email_verified");
        if (settings.kind() == ProviderKind.MICROSOFT && !Boolean.TRUE.equals(verified)) {
            // Entra ID does not send email_verified; xms_edov says the domain owner verified the address.
            verified = bool(claims, "xms_edov");
        }
        String name = string(claims, "name");
        String picture = string(claims, "picture");
        if (email == null && provider.metadata().getUserInfoEndpointURI() != null) {
            UserInfo info = userInfo(provider.metadata().getUserInfoEndpointURI(), tokens.getBearerAccessToken());
            if (info != null && claims.getSubject().equals(info.getSubject().getValue())) {
                email = info.getEmailAddress();
                verified = info.getEmailVerified();
                name = name == null ? info.getName() : name;
                picture = picture == null && info.getPicture() != null ? info.getPicture().toString() : picture;
            }
        }
        if (email == null || email.isBlank()) {
            return new ExchangeResult.Failure(ExchangeResult.Reason.NO_EMAIL,
                    settings.name() + " gave no e-mail address (request the email scope)");
        }
        UpstreamIdentity identity = new UpstreamIdentity(settings.name(), expectedIssuer, claims.getSubject(),
                email.strip(), Boolean.TRUE.equals(verified), name, picture);
        return new ExchangeResult.Success(identity, tokens(tokens));
    }

    static UpstreamTokens tokens(Tokens tokens) {
        var access = tokens.getAccessToken();
        return new UpstreamTokens(access.getValue(),
                tokens.getRefreshToken() == null ? null : tokens.getRefreshToken().getValue(),
                access.getLifetime() > 0 ? access.getLifetime() : null,
                access.getScope() == null ? null : access.getScope().toString());
    }

    private UserInfo userInfo(URI endpoint, BearerAccessToken token) {
        try {
            HTTPResponse response = http.send(new UserInfoRequest(endpoint, token).toHTTPRequest());
            UserInfoResponse parsed = UserInfoResponse.parse(response);
            return parsed.indicatesSuccess() ? parsed.toSuccessResponse().getUserInfo() : null;
        } catch (IOException | com.nimbusds.oauth2.sdk.ParseException e) {
            LOG.warn("provider {}: userinfo failed: {}", settings.name(), e.getClass().getSimpleName());
            return null;
        }
    }

    private boolean issuerMatches(Resolved provider, String iss) {
        if (provider.issuerTemplate() == null) {
            return provider.metadata().getIssuer().getValue().equals(iss);
        }
        String[] parts = provider.issuerTemplate().split(java.util.regex.Pattern.quote(TENANT_PLACEHOLDER), -1);
        return parts.length == 2 && iss.startsWith(parts[0]) && iss.endsWith(parts[1])
                && iss.length() > parts[0].length() + parts[1].length()
                && iss.substring(parts[0].length(), iss.length() - parts[1].length()).matches("[0-9a-fA-F-]{36}");
    }

    private static String expectedIssuer(Resolved provider, JWTClaimsSet claims) {
        if (provider.issuerTemplate() == null) {
            return provider.metadata().getIssuer().getValue();
        }
        Object tid = claims.getClaim("tid");
        if (!(tid instanceof String tenant) || !tenant.matches("[0-9a-fA-F-]{36}")) {
            return null;
        }
        return provider.issuerTemplate().replace(TENANT_PLACEHOLDER, tenant);
    }

    private IDTokenValidator validator(Resolved provider, String issuer) {
        if (provider.validators().size() > MAX_TENANT_VALIDATORS) {
            provider.validators().clear();
        }
        return provider.validators().computeIfAbsent(issuer, i -> {
            IDTokenValidator validator = new IDTokenValidator(new Issuer(i), clientId,
                    new JWSVerificationKeySelector<>(provider.algorithms(), provider.keys()), null);
            validator.setMaxClockSkew(60);
            return validator;
        });
    }

    /** Fetches the discovery document once; after a failure, again only after {@code discoveryRetry}. */
    private Resolved resolve() {
        Resolved current = resolved;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (resolved != null) {
                return resolved;
            }
            Instant failed = failedAt;
            if (failed != null && clock.instant().isBefore(failed.plus(discoveryRetry))) {
                throw new ProviderUnavailableException(settings.name() + "'s discovery document is unavailable");
            }
            try {
                resolved = discover();
                failedAt = null;
                return resolved;
            } catch (ProviderUnavailableException e) {
                failedAt = clock.instant();
                throw e;
            }
        }
    }

    private Resolved discover() {
        URI issuer = settings.issuer();
        String base = issuer.toString().endsWith("/") ? issuer.toString().substring(0, issuer.toString().length() - 1)
                : issuer.toString();
        OIDCProviderMetadata metadata;
        try {
            HTTPResponse response = http.send(new HTTPRequest(HTTPRequest.Method.GET,
                    URI.create(base + "/.well-known/openid-configuration")));
            if (response.getStatusCode() != 200) {
                throw new ProviderUnavailableException(settings.name() + "'s discovery document answered "
                        + response.getStatusCode());
            }
            metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
        } catch (IOException | ParseException e) {
            LOG.warn("provider {}: discovery failed: {}", settings.name(), e.getClass().getSimpleName());
            throw new ProviderUnavailableException(settings.name() + "'s discovery document is unavailable");
        }
        String advertised = metadata.getIssuer().getValue();
        String template = null;
        if (advertised.contains(TENANT_PLACEHOLDER)) {
            if (settings.kind() != ProviderKind.MICROSOFT) {
                throw new ProviderUnavailableException(settings.name() + "'s issuer is a template");
            }
            template = advertised;
        } else if (!advertised.equals(issuer.toString())) {
            // OIDC Discovery §4.3: the issuer in the document must be the one it was fetched for
            LOG.error("provider {}: discovery issuer {} is not the configured {}", settings.name(), advertised, issuer);
            throw new ProviderUnavailableException(settings.name() + "'s discovery document names another issuer");
        }
        URI jwks = settings.jwksUri() != null ? settings.jwksUri() : metadata.getJWKSetURI();
        if (jwks == null) {
            throw new ProviderUnavailableException(settings.name() + " publishes no JWKS");
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(jwks.toURL(), http.resourceRetriever()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new ProviderUnavailableException(settings.name() + "'s JWKS URI is not a URL");
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        if (metadata.getIDTokenJWSAlgs() != null) {
            metadata.getIDTokenJWSAlgs().stream().filter(a -> !"none".equals(a.getName())
                    && !a.getName().startsWith("HS")).forEach(algorithms::add);
        }
        if (algorithms.isEmpty()) {
            algorithms.add(JWSAlgorithm.RS256);
        }
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        boolean basic = methods == null || methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        URI authorization = settings.authorizationEndpoint() != null ? settings.authorizationEndpoint()
                : metadata.getAuthorizationEndpointURI();
        URI token = settings.tokenEndpoint() != null ? settings.tokenEndpoint() : metadata.getTokenEndpointURI();
        if (authorization == null || token == null) {
            throw new ProviderUnavailableException(settings.name() + "'s discovery document lacks endpoints");
        }
        return new Resolved(metadata, authorization, token, template, keys, Set.copyOf(algorithms),
                new ConcurrentHashMap<>(), metadata.supportsAuthorizationResponseIssuerParam(), basic);
    }

    private static String string(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static Boolean bool(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        if (value instanceof Boolean b) {
            return b;
        }
        return value instanceof String s ? Boolean.valueOf("true".equals(s)) : null;
    }

    private static String safeMessage(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("").replaceAll("[^\\x20-\\x7e]", "");
    }
}
