package dev.gatehouse.session.flow;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.session.client.ClientSpec;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server as an independent relying party sees it: the Nimbus OAuth 2.0 / OIDC SDK discovers it, builds the
 * authorization request, parses the callback, redeems the code, validates the ID token against the JWKS, calls
 * userinfo, refreshes, revokes and introspects. The server runs with its issuer equal to its real address so that
 * the SDK can follow the metadata without any help.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NimbusRelyingPartyTest extends AbstractFlowTest {
    private static final int PORT = freePort();
    private static final String OP = "http://127.0.0.1:" + PORT;
    private static final String API = "https://api.example.com";
    private static final Scope SCOPES = new Scope("openid", "profile", "email", "offline_access");

    private OIDCProviderMetadata op;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        TestServers.get().micronautProperties(serviceName()).forEach((k, v) -> properties.put(k, String.valueOf(v)));
        properties.put("micronaut.server.port", Integer.toString(PORT));
        properties.put("gatehouse.session.issuer", OP);
        return properties;
    }

    @BeforeAll
    void discover() throws Exception {
        op = OIDCProviderMetadata.resolve(new Issuer(OP));
    }

    @Test
    void discoveryDescribesTheServerAsImplemented() {
        assertThat(op.getIssuer()).isEqualTo(new Issuer(OP));
        assertThat(op.getAuthorizationEndpointURI()).isEqualTo(URI.create(OP + "/oauth2/authorize"));
        assertThat(op.getTokenEndpointURI()).isEqualTo(URI.create(OP + "/oauth2/token"));
        assertThat(op.getUserInfoEndpointURI()).isEqualTo(URI.create(OP + "/oauth2/userinfo"));
        assertThat(op.getRevocationEndpointURI()).isEqualTo(URI.create(OP + "/oauth2/revoke"));
        assertThat(op.getIntrospectionEndpointURI()).isEqualTo(URI.create(OP + "/oauth2/introspect"));
        assertThat(op.getJWKSetURI()).isEqualTo(URI.create(OP + "/.well-known/jwks.json"));
        assertThat(op.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
        assertThat(op.supportsAuthorizationResponseIssuerParam()).isTrue();
        assertThat(op.getResponseTypes()).containsExactly(ResponseType.CODE);
        assertThat(op.getTokenEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.NONE);
        assertThat(op.getScopes()).containsAll(SCOPES);
    }

    @Test
    void aPublicClientSignsInWithPkceValidatesTheIdTokenAndUsesUserinfoRefreshAndRevocation() throws Exception {
        TestClient registered = register(spec(unique("rp"), "public", List.of("authorization_code", "refresh_token"),
                ALL_SCOPES, List.of(), List.of(LOOPBACK)));
        ClientID clientId = new ClientID(registered.id());
        User user = User.random();
        URI redirect = URI.create(loopbackOnSomePort());
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();

        AuthorizationSuccessResponse callback = authorize(clientId, redirect, verifier, state, nonce, user)
                .toSuccessResponse();
        assertThat(callback.getState()).isEqualTo(state);
        assertThat(callback.getIssuer()).isEqualTo(op.getIssuer());
        assertThat(callback.getRedirectionURI()).isEqualTo(redirect);

        TokenResponse answer = token(new TokenRequest(op.getTokenEndpointURI(), clientId,
                new AuthorizationCodeGrant(callback.getAuthorizationCode(), redirect, verifier)));
        assertThat(answer.indicatesSuccess()).isTrue();
        OIDCTokens tokens = ((OIDCTokenResponse) answer.toSuccessResponse()).getOIDCTokens();
        assertThat(tokens.getAccessToken()).isInstanceOf(BearerAccessToken.class);
        assertThat(tokens.getAccessToken().getScope()).isEqualTo(SCOPES);

        IDTokenClaimsSet id = validateIdToken(clientId, tokens, nonce);
        assertThat(id.getSubject().getValue()).isEqualTo(user.userId());
        assertThat(id.getAudience()).extracting(Object::toString).containsExactly(registered.id());
        assertThat(id.getAuthenticationTime()).isEqualTo(java.util.Date.from(AUTH_TIME));
        IDTokenValidator wrongNonce = validator(clientId, tokens.getIDToken());
        assertThatThrownBy(() -> wrongNonce.validate(tokens.getIDToken(), new Nonce()))
                .isInstanceOf(BadJOSEException.class);
        IDTokenValidator wrongClient = validator(new ClientID("someone-else"), tokens.getIDToken());
        assertThatThrownBy(() -> wrongClient.validate(tokens.getIDToken(), nonce))
                .isInstanceOf(BadJOSEException.class);

        UserInfo info = userInfo(tokens.getBearerAccessToken());
        assertThat(info.getSubject().getValue()).isEqualTo(user.userId());
        assertThat(info.getEmailAddress()).isEqualTo(user.email());
        assertThat(info.getEmailVerified()).isTrue();
        assertThat(info.getName()).isEqualTo(user.name());

        TokenResponse refreshed = token(new TokenRequest(op.getTokenEndpointURI(), clientId,
                new RefreshTokenGrant(tokens.getRefreshToken())));
        assertThat(refreshed.indicatesSuccess()).isTrue();
        RefreshToken rotated = refreshed.toSuccessResponse().getTokens().getRefreshToken();
        assertThat(rotated).isNotNull().isNotEqualTo(tokens.getRefreshToken());
        assertRefused(token(new TokenRequest(op.getTokenEndpointURI(), clientId,
                new RefreshTokenGrant(tokens.getRefreshToken()))), OAuth2Error.INVALID_GRANT);

        var revoked = new TokenRevocationRequest(op.getRevocationEndpointURI(), clientId, rotated).toHTTPRequest()
                .send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertRefused(token(new TokenRequest(op.getTokenEndpointURI(), clientId, new RefreshTokenGrant(rotated))),
                OAuth2Error.INVALID_GRANT);
        var afterRevocation = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                tokens.getBearerAccessToken()).toHTTPRequest().send());
        assertThat(afterRevocation.indicatesSuccess()).isFalse();
        assertThat(afterRevocation.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_token");
    }

    @Test
    void aConfidentialClientUsesClientSecretBasicAndAResourceServerIntrospects() throws Exception {
        TestClient rp = register(spec(unique("web"), "confidential", List.of("authorization_code", "refresh_token"),
                ALL_SCOPES, List.of(API), List.of(LOOPBACK)));
        TestClient resourceServer = register(new ClientSpec(unique("rs"), "confidential", "Test API",
                List.of(), List.of(), List.of("client_credentials"), List.of("rs.self"), List.of("urn:rs-self"),
                API, null, null, null, null, null));
        TestClient otherServer = register(new ClientSpec(unique("rs"), "confidential", "Other API",
                List.of(), List.of(), List.of("client_credentials"), List.of("rs.self"), List.of("urn:rs-self"),
                "https://other.example.com", null, null, null, null, null));
        ClientSecretBasic rpAuth = basic(rp);
        User user = User.random();
        URI redirect = URI.create(LOOPBACK);
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();

        AuthorizationCode code = authorize(rpAuth.getClientID(), redirect, verifier, new State(), nonce, user)
                .toSuccessResponse().getAuthorizationCode();
        TokenResponse answer = token(new TokenRequest(op.getTokenEndpointURI(), rpAuth,
                new AuthorizationCodeGrant(code, redirect, verifier)));
        assertThat(answer.indicatesSuccess()).as(answer.toString()).isTrue();
        OIDCTokens tokens = ((OIDCTokenResponse) answer.toSuccessResponse()).getOIDCTokens();
        validateIdToken(rpAuth.getClientID(), tokens, nonce);

        TokenIntrospectionSuccessResponse active = introspect(basic(resourceServer), tokens.getAccessToken());
        assertThat(active.isActive()).isTrue();
        assertThat(active.getSubject().getValue()).isEqualTo(user.userId());
        assertThat(active.getClientID()).isEqualTo(rpAuth.getClientID());
        assertThat(active.getAudience()).extracting(Object::toString).containsExactly(API);
        assertThat(active.getScope()).isEqualTo(SCOPES);
        assertThat(active.getIssuer()).isEqualTo(op.getIssuer());
        assertThat(active.getStringParameter("org_id")).isEqualTo(user.organizationId());
        assertThat(introspect(basic(otherServer), tokens.getAccessToken()).isActive()).isFalse();
        assertThat(introspect(rpAuth, tokens.getRefreshToken()).isActive()).isTrue();
        assertThat(introspect(basic(resourceServer), tokens.getRefreshToken()).isActive()).isFalse();

        var revoked = new TokenRevocationRequest(op.getRevocationEndpointURI(), rpAuth, tokens.getAccessToken())
                .toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        TokenIntrospectionSuccessResponse inactive = introspect(basic(resourceServer), tokens.getAccessToken());
        assertThat(inactive.isActive()).isFalse();
        assertThat(inactive.toJSONObject()).containsOnlyKeys("active");
        assertThat(introspect(rpAuth, tokens.getRefreshToken()).isActive()).isFalse();
        assertRefused(token(new TokenRequest(op.getTokenEndpointURI(), rpAuth,
                new RefreshTokenGrant(tokens.getRefreshToken()))), OAuth2Error.INVALID_GRANT);

        var wrongSecret = token(new TokenRequest(op.getTokenEndpointURI(),
                new ClientSecretBasic(rpAuth.getClientID(), new Secret("ghcs_wrong")),
                new RefreshTokenGrant(tokens.getRefreshToken())));
        assertRefused(wrongSecret, OAuth2Error.INVALID_CLIENT);
    }

    @Test
    void aRejectedSignInParsesAsAnAccessDeniedErrorFromThisIssuer() throws Exception {
        TestClient registered = register(spec(unique("rp"), "public", List.of("authorization_code"), ALL_SCOPES,
                List.of(), List.of(LOOPBACK)));
        State state = new State();
        String challenge = loginChallenge(request(new ClientID(registered.id()), URI.create(LOOPBACK),
                new CodeVerifier(), state, new Nonce()));
        var rejected = reject(challenge, "{}");
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create((String) json(rejected)
                .get("redirectTo")));

        assertThat(response.indicatesSuccess()).isFalse();
        AuthorizationErrorResponse error = response.toErrorResponse();
        assertThat(error.getErrorObject()).isEqualTo(OAuth2Error.ACCESS_DENIED);
        assertThat(error.getState()).isEqualTo(state);
        assertThat(error.getIssuer()).isEqualTo(op.getIssuer());
    }

    private AuthenticationRequest request(ClientID clientId, URI redirect, CodeVerifier verifier, State state,
                                          Nonce nonce) {
        return new AuthenticationRequest.Builder(ResponseType.CODE, SCOPES, clientId, redirect)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
    }

    /** The browser: follows the authorization request to the sign-in page and returns the login challenge. */
    private String loginChallenge(AuthenticationRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(request.toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        String location = location(response);
        assertThat(location).startsWith(OP + "/login?login_challenge=");
        return query(URI.create(location)).get("login_challenge");
    }

    /** Authorization request, sign-in accepted by identity-service, callback parsed. */
    private AuthorizationResponse authorize(ClientID clientId, URI redirect, CodeVerifier verifier, State state,
                                            Nonce nonce, User user) throws Exception {
        URI callback = acceptAndFollow(loginChallenge(request(clientId, redirect, verifier, state, nonce)), user);
        AuthorizationResponse response = AuthorizationResponse.parse(callback);
        assertThat(response.indicatesSuccess()).as(callback.toString()).isTrue();
        return response;
    }

    private static TokenResponse token(TokenRequest request) throws Exception {
        return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
    }

    private IDTokenClaimsSet validateIdToken(ClientID clientId, OIDCTokens tokens, Nonce nonce) throws Exception {
        JWT idToken = tokens.getIDToken();
        IDTokenClaimsSet claims = validator(clientId, idToken).validate(idToken, nonce);
        assertThat(claims.getIssuer()).isEqualTo(op.getIssuer());
        assertThat(claims.getNonce()).isEqualTo(nonce);
        assertThat(claims.getAccessTokenHash()).isNotNull();
        AccessTokenValidator.validate(tokens.getAccessToken(), algorithm(idToken), claims.getAccessTokenHash());
        return claims;
    }

    /** An ID token validator for the algorithm of the published key that signed the token. */
    private IDTokenValidator validator(ClientID clientId, JWT idToken) throws Exception {
        return new IDTokenValidator(op.getIssuer(), clientId, algorithm(idToken), op.getJWKSetURI().toURL());
    }

    private JWSAlgorithm algorithm(JWT idToken) throws Exception {
        String kid = ((com.nimbusds.jose.JWSHeader) idToken.getHeader()).getKeyID();
        var key = JWKSet.load(op.getJWKSetURI().toURL()).getKeyByKeyId(kid);
        assertThat(key).as("kid %s published", kid).isNotNull();
        JWSAlgorithm algorithm = JWSAlgorithm.parse(key.getAlgorithm().getName());
        assertThat(op.getIDTokenJWSAlgs()).contains(algorithm);
        return algorithm;
    }

    private UserInfo userInfo(BearerAccessToken token) throws Exception {
        UserInfoResponse response = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(), token)
                .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        return response.toSuccessResponse().getUserInfo();
    }

    private TokenIntrospectionSuccessResponse introspect(ClientSecretBasic caller,
                                                         com.nimbusds.oauth2.sdk.token.Token token) throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                op.getIntrospectionEndpointURI(), caller, token).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        return response.toSuccessResponse();
    }

    private static ClientSecretBasic basic(TestClient client) {
        return new ClientSecretBasic(new ClientID(client.id()), new Secret(client.secret()));
    }

    private static void assertRefused(TokenResponse response, com.nimbusds.oauth2.sdk.ErrorObject expected) {
        assertThat(response.indicatesSuccess()).isFalse();
        var error = ((TokenErrorResponse) response).getErrorObject();
        assertThat(error.getCode()).isEqualTo(expected.getCode());
        assertThat(error.getHTTPStatusCode()).isEqualTo(expected.getHTTPStatusCode());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
