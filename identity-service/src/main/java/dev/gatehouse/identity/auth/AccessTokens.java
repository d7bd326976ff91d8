package dev.gatehouse.identity.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.identity.platform.PlatformUnavailableException;

import java.text.ParseException;

/**
 * Reads claims of an access token that session-service has JUST handed to identity-service over its authenticated
 * internal API (so no signature check is needed for that token). Never use this on a token from a client.
 */
final class AccessTokens {
    private AccessTokens() {
    }

    static JWTClaimsSet claimsOfTrusted(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new PlatformUnavailableException("session-service returned an unreadable access token", e);
        }
    }

    static String subject(String token) {
        return claimsOfTrusted(token).getSubject();
    }
}
