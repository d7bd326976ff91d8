package dev.gatehouse.session.discovery;

import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.client.GrantType;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discovery documents: OIDC Discovery 1.0, RFC 8414 authorization-server metadata (the same document), and seed
 * 002's {@code /.well-known/auth-config}. They advertise exactly what is implemented; in particular PKCE S256 only,
 * no request objects, and {@code iss} in authorization responses (RFC 9207).
 */
@Controller("/.well-known")
public class DiscoveryController {
    private static final String CACHE = "public, max-age=300";
    private final ServerConfig config;

    public DiscoveryController(ServerConfig config) {
        this.config = config;
    }

    @Operation(summary = "OpenID Connect discovery")
    @Get("/openid-configuration")
    public HttpResponse<Map<String, Object>> openidConfiguration() {
        return HttpResponse.ok(metadata()).header("Cache-Control", CACHE);
    }

    @Operation(summary = "OAuth 2.0 authorization server metadata (RFC 8414)")
    @Get("/oauth-authorization-server")
    public HttpResponse<Map<String, Object>> authorizationServer() {
        return HttpResponse.ok(metadata()).header("Cache-Control", CACHE);
    }

    @Operation(summary = "Seed 002's SDK discovery: device flow endpoints, client, scopes, audience")
    @Get("/auth-config")
    public HttpResponse<Map<String, Object>> authConfig() {
        ServerConfig.AuthConfig auth = config.authConfig();
        if (auth.clientId() == null || auth.audience() == null || auth.platformBaseUrl() == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "auth-config is not configured on this deployment"
                    + " (gatehouse.session.auth-config.client-id, audience and platform-base-url)");
        }
        // exactly the seed's fields, in its order; new fields may only ever be appended
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("auth_provider", auth.authProvider());
        body.put("device_authorization_endpoint", config.endpoint("/oauth2/device_authorization"));
        body.put("token_endpoint", config.endpoint("/oauth2/token"));
        body.put("client_id", auth.clientId());
        body.put("scopes", auth.scopes());
        body.put("audience", auth.audience());
        body.put("platform_base_url", auth.platformBaseUrl());
        return HttpResponse.ok(body).header("Cache-Control", CACHE);
    }

    private Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", config.issuer().toString());
        m.put("authorization_endpoint", config.endpoint("/oauth2/authorize"));
        m.put("token_endpoint", config.endpoint("/oauth2/token"));
        m.put("device_authorization_endpoint", config.endpoint("/oauth2/device_authorization"));
        m.put("jwks_uri", config.endpoint("/.well-known/jwks.json"));
        m.put("userinfo_endpoint", config.endpoint("/oauth2/userinfo"));
        m.put("revocation_endpoint", config.endpoint("/oauth2/revoke"));
        m.put("introspection_endpoint", config.endpoint("/oauth2/introspect"));
        m.put("end_session_endpoint", config.endpoint("/oauth2/logout"));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", Arrays.stream(GrantType.values()).map(GrantType::wireName).toList());
        m.put("subject_types_supported", List.of("public"));
        // the active key signs; keys of both kinds can be active across an algorithm change (docs/keys.md)
        m.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        m.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "email",
                "email_verified", "name", "picture_url"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        m.put("claims_parameter_supported", false);
        return m;
    }
}
