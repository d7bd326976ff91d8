package dev.gatehouse.gateway.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the gateway authenticates callers, under {@code gatehouse.gateway.auth}. Gatehouse's own issuer is
 * session-service; further trusted issuers are under {@code trusted-issuers} ({@link TrustedIssuerConfig}).
 *
 * @param issuer          session-service's issuer ({@code gatehouse.session.issuer}), compared exactly; bearer and
 *                        cookie authentication are off without it
 * @param jwksUri         session-service's JWKS, e.g. {@code http://session-service:8082/.well-known/jwks.json}
 * @param audiences       audiences accepted in Gatehouse tokens: Gatehouse's own APIs ({@code gatehouse}) and the
 *                        APIs of customers' upstreams (e.g. {@code https://flux.localhost/api})
 * @param rolePermissions the permission that proves each role (seed 001's viewer &lt; operator &lt; admin): tokens
 *                        carry permissions, so a principal holds a role when it holds that role's permission (or names
 *                        the role in a {@code roles} claim)
 * @param cookieNames     names of the session cookie, tried in order (seed 000: {@code access_token},
 *                        {@code wos_session}, {@code session_id}); the first is the one the gateway sets
 * @param cookieKey       base64 of 32 bytes, session-service's {@code gatehouse.session.cookie-key}: opens the sealed
 *                        cookie; cookie authentication is off without it
 * @param cookieSecure    the {@code Secure} flag of cookies the gateway sets; true outside dev
 * @param cookieMaxAge    {@code Max-Age} of a refreshed cookie
 * @param clientId        the gateway's service client at session-service ({@code gatehouse-gateway}, scope
 *                        {@code gatehouse:internal}): refreshes cookies and provisions tenants
 * @param clientSecret    its secret (env {@code GATEHOUSE_GATEWAY_AUTH_CLIENT_SECRET})
 * @param tokenEndpoint   session-service's token endpoint; default the {@code session} upstream's
 *                        {@code /oauth2/token}
 * @param refreshTimeout  how long a cookie refresh may take before the request is answered 401
 */
@ConfigurationProperties("gatehouse.gateway.auth")
public record AuthConfig(@Nullable String issuer,
                         @Nullable URI jwksUri,
                         @Bindable(defaultValue = "gatehouse") List<String> audiences,
                         @Nullable Map<String, String> rolePermissions,
                         @Bindable(defaultValue = "access_token,wos_session,session_id") List<String> cookieNames,
                         @Nullable String cookieKey,
                         @Bindable(defaultValue = "true") boolean cookieSecure,
                         @Bindable(defaultValue = "30d") Duration cookieMaxAge,
                         @Bindable(defaultValue = "gatehouse-gateway") String clientId,
                         @Nullable String clientSecret,
                         @Nullable URI tokenEndpoint,
                         @Bindable(defaultValue = "5s") Duration refreshTimeout) {
    /** Defaults of {@code role-permissions}: tenant-service's built-in roles (RbacConfig). */
    public static final Map<String, String> DEFAULT_ROLE_PERMISSIONS = Map.of(
            "viewer", "organization.read", "operator", "proxies.operate", "admin", "organization.write");

    public AuthConfig {
        audiences = audiences == null || audiences.isEmpty() ? List.of("gatehouse") : List.copyOf(audiences);
        rolePermissions = rolePermissions == null || rolePermissions.isEmpty() ? DEFAULT_ROLE_PERMISSIONS
                : Map.copyOf(rolePermissions);
        cookieNames = cookieNames == null || cookieNames.isEmpty()
                ? List.of("access_token", "wos_session", "session_id") : List.copyOf(cookieNames);
    }

    @Override
    public String toString() {
        return "AuthConfig[issuer=" + issuer + ", audiences=" + audiences + ", cookieNames=" + cookieNames + "]";
    }
}
