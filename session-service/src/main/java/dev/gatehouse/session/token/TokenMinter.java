package dev.gatehouse.session.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.contract.token.Claims;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.crypto.RandomTokens;
import dev.gatehouse.session.keys.TokenSigner;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mints access tokens (RFC 9068 JWTs, {@code typ: at+jwt}) and OIDC ID tokens. User claims go only where the
 * granted scopes allow: {@code email} grants email and email_verified, {@code profile} grants name and picture_url.
 *
 * <p>Size bound: a {@code permissions} claim longer than {@link #MAX_PERMISSIONS_CHARS} characters (as JSON) is
 * left out and {@code permissions_omitted: true} is set instead, so that a token stays well inside header limits;
 * a resource server then sees no permissions (it denies) and can ask tenant-service for the full set. (A browser
 * cookie carries the token only when it fits; see {@code SessionCookie}.)
 */
@Singleton
public class TokenMinter {
    public static final int MAX_PERMISSIONS_CHARS = 2048;
    public static final String PERMISSIONS_OMITTED = "permissions_omitted";
    private final TokenSigner signer;
    private final ServerConfig config;
    private final Clock clock;

    public TokenMinter(TokenSigner signer, ServerConfig config, Clock clock) {
        this.signer = signer;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Everything an access token says.
     *
     * @param subject        {@code sub}: a user id, or the client id for client_credentials
     * @param clientId       {@code client_id}
     * @param audience       {@code aud}
     * @param scopes         {@code scope}
     * @param sessionId      {@code sid}, or null without a session
     * @param organizationId {@code org_id}, or null
     * @param permissions    {@code permissions} in that organization
     * @param userClaims     email, email_verified, name, picture_url (filtered by scope here)
     * @param platformAdmin  {@code platform_admin}
     * @param lifetimeSeconds how long it is valid
     */
    public record AccessTokenSpec(String subject, String clientId, List<String> audience, Set<String> scopes,
                                  @Nullable String sessionId, @Nullable String organizationId, Set<String> permissions,
                                  Map<String, Object> userClaims, boolean platformAdmin, long lifetimeSeconds) {
    }

    /** A signed token and when it expires. */
    public record Minted(String token, Instant expiresAt, String tokenId) {
    }

    /** When a token minted now with that lifetime expires (to record on the session before minting). */
    public Instant expiryFor(long lifetimeSeconds) {
        return Instant.ofEpochSecond(clock.instant().getEpochSecond() + lifetimeSeconds);
    }

    public Minted accessToken(AccessTokenSpec spec) {
        long now = clock.instant().getEpochSecond();
        Instant exp = Instant.ofEpochSecond(now + spec.lifetimeSeconds());
        String jti = RandomTokens.next(16);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer().toString())
                .subject(spec.subject())
                .audience(spec.audience())
                .expirationTime(Date.from(exp))
                .issueTime(new Date(now * 1000))
                .notBeforeTime(new Date(now * 1000))
                .jwtID(jti)
                .claim(Claims.CLIENT_ID, spec.clientId())
                .claim(Claims.SCOPE, String.join(" ", new TreeSet<>(spec.scopes())));
        if (spec.sessionId() != null) {
            claims.claim(Claims.SESSION_ID, spec.sessionId());
        }
        if (spec.organizationId() != null) {
            claims.claim(Claims.ORGANIZATION_ID, spec.organizationId());
            List<String> permissions = List.copyOf(new TreeSet<>(spec.permissions()));
            int size = permissions.stream().mapToInt(p -> p.length() + 3).sum();
            if (size > MAX_PERMISSIONS_CHARS) {
                claims.claim(PERMISSIONS_OMITTED, true);
            } else {
                claims.claim(Claims.PERMISSIONS, permissions);
            }
        }
        userClaims(claims, spec.scopes(), spec.userClaims());
        if (spec.platformAdmin()) {
            claims.claim(Claims.PLATFORM_ADMIN, true);
        }
        return new Minted(signer.sign(claims.build(), new JOSEObjectType(Claims.ACCESS_TOKEN_TYPE)), exp, jti);
    }

    /**
     * An OIDC ID token for {@code clientId}, with {@code at_hash} of the access token issued with it.
     */
    public String idToken(String subject, String clientId, @Nullable String sessionId, Instant authTime,
                          @Nullable String nonce, Set<String> scopes, Map<String, Object> userClaims,
                          long lifetimeSeconds, @Nullable String accessToken) {
        long now = clock.instant().getEpochSecond();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer().toString())
                .subject(subject)
                .audience(clientId)
                .expirationTime(new Date((now + lifetimeSeconds) * 1000))
                .issueTime(new Date(now * 1000))
                .claim(Claims.AUTH_TIME, authTime.getEpochSecond());
        if (sessionId != null) {
            claims.claim(Claims.SESSION_ID, sessionId);
        }
        if (nonce != null) {
            claims.claim(Claims.NONCE, nonce);
        }
        if (accessToken != null) {
            claims.claim("at_hash", leftHalfHash(accessToken));
        }
        userClaims(claims, scopes, userClaims);
        return signer.sign(claims.build(), JOSEObjectType.JWT);
    }

    /** The user claims the scopes grant, for tokens and userinfo. */
    public static void userClaims(JWTClaimsSet.Builder claims, Set<String> scopes, Map<String, Object> user) {
        if (scopes.contains("email")) {
            copy(claims, user, Claims.EMAIL);
            copy(claims, user, Claims.EMAIL_VERIFIED);
        }
        if (scopes.contains("profile")) {
            copy(claims, user, Claims.NAME);
            copy(claims, user, Claims.PICTURE_URL);
        }
    }

    private static void copy(JWTClaimsSet.Builder claims, Map<String, Object> user, String name) {
        Object value = user.get(name);
        if (value != null) {
            claims.claim(name, value);
        }
    }

    /** OIDC at_hash for RS256/ES256: base64url of the left half of SHA-256 of the token's ASCII. */
    private static String leftHalfHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(Arrays.copyOf(digest, digest.length / 2)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
