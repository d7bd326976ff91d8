package dev.gatehouse.identity.platform;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * session-service's internal API ({@code /internal/v1/sessions}, {@code /internal/v1/login-challenges}): open,
 * refresh, move and revoke sessions; read, accept and reject login challenges. identity-service never signs tokens
 * itself. An ended session or an answered challenge is an empty result; anything unexpected is
 * {@link PlatformUnavailableException}.
 */
@Singleton
public class SessionClient {
    private final PlatformHttp http;
    private final PlatformConfig config;

    public SessionClient(PlatformHttp http, PlatformConfig config) {
        this.http = http;
        this.config = config;
    }

    /** How the session's credentials are delivered. */
    public enum Delivery {
        /** bearer tokens (desktop, CLI, seed 001's admin JWT) */
        TOKENS,
        /** a sealed cookie value for the browser ({@code access_token} cookie) */
        COOKIE;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What identity-service asserts about the user it authenticated (session-service's {@code UserAssertion}).
     *
     * @param userId         the user ({@code sub})
     * @param organizationId the organization the session acts in, or null
     */
    @Serdeable
    public record UserAssertion(String userId, @Nullable String organizationId, @Nullable String email,
                                @Nullable Boolean emailVerified, @Nullable String name, @Nullable String pictureUrl,
                                @Nullable Boolean platformAdmin, @Nullable Instant authTime) {
    }

    /**
     * A session to open.
     *
     * @param scopes   null for the client's default (openid profile email, as far as the client may)
     * @param audience null for all the client's audiences
     */
    public record OpenSession(UserAssertion user, String clientId, @Nullable List<String> scopes,
                              @Nullable String audience, Delivery delivery, @Nullable String userAgent,
                              @Nullable String ipAddress) {
    }

    @Serdeable
    record CreateBody(UserAssertion user, String clientId, @Nullable List<String> scopes, @Nullable String audience,
                      String delivery, @Nullable String userAgent, @Nullable String ipAddress) {
    }

    /**
     * A session's credentials: {@code cookie} only for cookie delivery, {@code refreshToken} only for bearer
     * delivery with offline access. All secrets: never log.
     */
    @Serdeable
    public record SessionTokens(String sessionId, String accessToken, long expiresIn, Instant expiresAt,
                                @Nullable String refreshToken, @Nullable String idToken, @Nullable String cookie) {
        @Override
        public String toString() {
            return "SessionTokens[sessionId=" + sessionId + ", expiresAt=" + expiresAt + "]";
        }
    }

    @Serdeable
    record CookieBody(String cookie) {
    }

    @Serdeable
    record SwitchBody(String organizationId, @Nullable String cookie) {
    }

    /** A pending authorization request, as the sign-in pages show it. */
    @Serdeable
    public record Challenge(String clientId, String clientDisplayName, List<String> scopes, Instant requestedAt) {
    }

    @Serdeable
    record RedirectBody(String redirectTo) {
    }

    @Serdeable
    record RejectBody(String error, @Nullable String errorDescription) {
    }

    /** Opens a session for an authenticated user. */
    public SessionTokens open(OpenSession request) {
        var answer = http.send("POST", url("/internal/v1/sessions"), new CreateBody(request.user(),
                request.clientId(), request.scopes(), request.audience(), request.delivery().wire(),
                request.userAgent(), request.ipAddress()));
        if (answer.status() != 201) {
            throw PlatformHttp.unexpected("session-service (open session)", answer);
        }
        return http.read(answer, SessionTokens.class);
    }

    /** A fresh cookie (and access token) for a sealed cookie whose session lives; empty when it ended or is bad. */
    public Optional<SessionTokens> refresh(String cookie) {
        var answer = http.send("POST", url("/internal/v1/sessions/refresh"), new CookieBody(cookie));
        return ended(answer, "refresh") ? Optional.empty() : Optional.of(http.read(answer, SessionTokens.class));
    }

    /**
     * Moves a session to another organization (the caller checked membership). With a cookie, the cookie must be the
     * session's; empty when the session ended.
     */
    public Optional<SessionTokens> switchOrganization(String sessionId, String organizationId, @Nullable String cookie) {
        var answer = http.send("POST", url("/internal/v1/sessions/" + enc(sessionId) + "/organization"),
                new SwitchBody(organizationId, cookie));
        return ended(answer, "switch organization") ? Optional.empty()
                : Optional.of(http.read(answer, SessionTokens.class));
    }

    /** Revokes a session (sign-out); idempotent. */
    public void revoke(String sessionId) {
        var answer = http.send("DELETE", url("/internal/v1/sessions/" + enc(sessionId)), null);
        if (answer.status() != 204 && answer.status() != 404) {
            throw PlatformHttp.unexpected("session-service (revoke)", answer);
        }
    }

    /** A pending login challenge; empty when expired, answered or unknown. */
    public Optional<Challenge> challenge(String challenge) {
        var answer = http.send("GET", url("/internal/v1/login-challenges/" + enc(challenge)), null);
        if (answer.status() == 404 || answer.status() == 400) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("session-service (read challenge)", answer);
        }
        return Optional.of(http.read(answer, Challenge.class));
    }

    /** Accepts a challenge with the signed-in user; the answer is where to send the browser. */
    public Optional<String> acceptChallenge(String challenge, UserAssertion user) {
        var answer = http.send("POST", url("/internal/v1/login-challenges/" + enc(challenge) + "/accept"), user);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("session-service (accept challenge)", answer);
        }
        return Optional.of(http.read(answer, RedirectBody.class).redirectTo());
    }

    /** Rejects a challenge ({@code access_denied}, {@code login_required}, ...); the answer is the redirect. */
    public Optional<String> rejectChallenge(String challenge, String error, @Nullable String description) {
        var answer = http.send("POST", url("/internal/v1/login-challenges/" + enc(challenge) + "/reject"),
                new RejectBody(error, description));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("session-service (reject challenge)", answer);
        }
        return Optional.of(http.read(answer, RedirectBody.class).redirectTo());
    }

    /**
     * OIDC userinfo for a user's access token: the claims when the token verifies and its session lives, empty
     * otherwise. Uses the USER's token, not the service token.
     */
    public Optional<java.util.Map<String, Object>> userInfo(String accessToken) {
        var answer = http.sendAs("GET", url("/oauth2/userinfo"), null, accessToken);
        if (answer.status() == 401 || answer.status() == 403 || answer.status() == 400) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("session-service (userinfo)", answer);
        }
        return Optional.of(http.readMap(answer));
    }

    /** session-service's issuer and JWKS URI, from its OpenID discovery document. */
    public record Issuer(String issuer, URI jwksUri) {
    }

    public Issuer issuer() {
        var answer = http.sendAs("GET", url("/.well-known/openid-configuration"), null, null);
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("session-service (discovery)", answer);
        }
        var body = http.readMap(answer);
        // the JWKS directly from session-service (the advertised URI may be the gateway's public one)
        return new Issuer((String) body.get("issuer"), url("/.well-known/jwks.json"));
    }

    private boolean ended(PlatformHttp.Answer answer, String what) {
        if (answer.status() == 401 || answer.status() == 404) {
            return true;
        }
        if (!answer.ok()) {
            throw PlatformHttp.unexpected("session-service (" + what + ")", answer);
        }
        return false;
    }

    private URI url(String path) {
        return config.requireSessionUrl().resolve(path);
    }

    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
