package dev.gatehouse.session;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The authorization server's settings, under {@code gatehouse.session}. Signing keys have their own section
 * ({@code gatehouse.session.keys}).
 *
 * @param issuer             the public base URL (what clients see through gateway-edge); {@code iss} of every token
 *                           and the base of every advertised endpoint. No trailing slash.
 * @param hashKey            base64 of at least 32 random bytes: the HMAC key that client secrets, refresh tokens,
 *                           codes and session handles are hashed with at rest
 * @param cookieKey          base64 of exactly 32 random bytes: seals browser-session cookies (A256GCM); shared with
 *                           gateway-edge
 * @param apiAudience        audience of Gatehouse's own APIs (admin and internal)
 * @param loginUrl           identity-service's sign-in page; the authorization endpoint sends users there with a
 *                           {@code login_challenge}
 * @param deviceVerificationUrl identity-service's device page ({@code verification_uri})
 * @param authorizationCodeTtl  lifetime of an authorization code
 * @param loginChallengeTtl  how long a user may take to sign in after the authorization request
 * @param deviceCodeTtl      lifetime of a device code and its user code
 * @param devicePollInterval the initial polling interval of the device flow
 * @param refreshReuseGrace  a rotated refresh token used again within this window is refused without revoking
 *                           the session (two concurrent refreshes); later reuse revokes the family
 * @param accessTokenTtl     default access-token lifetime of a client that sets none
 * @param refreshIdleTtl     default refresh-token idle lifetime
 * @param refreshAbsoluteTtl default session (refresh-family) absolute lifetime
 * @param authConfig         seed 002's {@code /.well-known/auth-config} values
 */
@Context
@ConfigurationProperties("gatehouse.session")
public record ServerConfig(
        @NotNull URI issuer,
        @Nullable String hashKey,
        @Nullable String cookieKey,
        @Bindable(defaultValue = "gatehouse") @NotBlank String apiAudience,
        @Nullable URI loginUrl,
        @Nullable URI deviceVerificationUrl,
        @Bindable(defaultValue = "60s") @NotNull Duration authorizationCodeTtl,
        @Bindable(defaultValue = "10m") @NotNull Duration loginChallengeTtl,
        @Bindable(defaultValue = "10m") @NotNull Duration deviceCodeTtl,
        @Bindable(defaultValue = "5s") @NotNull Duration devicePollInterval,
        @Bindable(defaultValue = "10s") @NotNull Duration refreshReuseGrace,
        @Bindable(defaultValue = "10m") @NotNull Duration accessTokenTtl,
        @Bindable(defaultValue = "14d") @NotNull Duration refreshIdleTtl,
        @Bindable(defaultValue = "30d") @NotNull Duration refreshAbsoluteTtl,
        @Nullable AuthConfig authConfig) {

    public ServerConfig {
        List<String> problems = new ArrayList<>();
        String text = issuer == null ? "" : issuer.toString();
        if (issuer != null && (!issuer.isAbsolute() || issuer.getHost() == null || text.endsWith("/")
                || issuer.getQuery() != null || issuer.getFragment() != null
                || !("https".equals(issuer.getScheme()) || "http".equals(issuer.getScheme())))) {
            problems.add("gatehouse.session.issuer: must be an absolute http(s) URL without a trailing slash, query"
                    + " or fragment");
        }
        positive(problems, "gatehouse.session.authorization-code-ttl", authorizationCodeTtl);
        positive(problems, "gatehouse.session.login-challenge-ttl", loginChallengeTtl);
        positive(problems, "gatehouse.session.device-code-ttl", deviceCodeTtl);
        positive(problems, "gatehouse.session.device-poll-interval", devicePollInterval);
        positive(problems, "gatehouse.session.access-token-ttl", accessTokenTtl);
        positive(problems, "gatehouse.session.refresh-idle-ttl", refreshIdleTtl);
        positive(problems, "gatehouse.session.refresh-absolute-ttl", refreshAbsoluteTtl);
        if (refreshReuseGrace != null && refreshReuseGrace.isNegative()) {
            problems.add("gatehouse.session.refresh-reuse-grace: must not be negative");
        }
        checkKey(problems, "gatehouse.session.hash-key", hashKey, false);
        checkKey(problems, "gatehouse.session.cookie-key", cookieKey, true);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        authConfig = authConfig == null ? new AuthConfig(null, null, null, null, null) : authConfig;
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value != null && (value.isNegative() || value.isZero() || value.toMillis() < 1)) {
            problems.add(name + ": must be positive");
        }
    }

    private static void checkKey(List<String> problems, String name, String value, boolean exactly32) {
        if (value == null || value.isBlank()) {
            problems.add(name + ": must be set (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)");
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            problems.add(name + ": must be base64");
            return;
        }
        if (exactly32 ? bytes.length != 32 : bytes.length < 32) {
            problems.add(name + ": must decode to " + (exactly32 ? "exactly" : "at least") + " 32 bytes");
        }
    }

    public byte[] hashKeyBytes() {
        return Base64.getDecoder().decode(hashKey.strip());
    }

    public byte[] cookieKeyBytes() {
        return Base64.getDecoder().decode(cookieKey.strip());
    }

    /** An endpoint under the issuer, e.g. {@code endpoint("/oauth2/token")}. */
    public String endpoint(String path) {
        return issuer + path;
    }

    public String loginUrlOrDefault() {
        return loginUrl == null ? endpoint("/login") : loginUrl.toString();
    }

    public String deviceVerificationUrlOrDefault() {
        return deviceVerificationUrl == null ? endpoint("/device") : deviceVerificationUrl.toString();
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "ServerConfig[issuer=" + issuer + ", apiAudience=" + apiAudience + "]";
    }

    /**
     * Seed 002's discovery document: which client the Flux-style SDK uses, with which scopes and audience, and where
     * it dials afterwards.
     *
     * @param authProvider    {@code auth_provider}; the seed's SDK v1 expects {@code workos}
     * @param clientId        {@code client_id} the SDK presents
     * @param scopes          {@code scopes}; {@code offline_access} is what gets a refresh token
     * @param audience        {@code audience} the SDK's tokens carry
     * @param platformBaseUrl {@code platform_base_url}
     */
    @ConfigurationProperties("auth-config")
    public record AuthConfig(
            @Nullable String authProvider,
            @Nullable String clientId,
            @Nullable List<String> scopes,
            @Nullable String audience,
            @Nullable String platformBaseUrl) {
        public AuthConfig {
            authProvider = authProvider == null ? "workos" : authProvider;
            scopes = scopes == null ? List.of("openid", "profile", "email", "offline_access") : List.copyOf(scopes);
        }
    }
}
