package dev.gatehouse.identity.upstream;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/** PKCE S256 (RFC 7636): verifiers, challenges, and the constant-time check of one against the other. */
public final class Pkce {
    /** §4.1: 43-128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    /** §4.2: BASE64URL(SHA-256(verifier)) is exactly 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Pkce() {
    }

    /** A fresh verifier of 256 random bits. */
    public static String newVerifier() {
        return new CodeVerifier().getValue();
    }

    public static String challenge(String verifier) {
        return CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
    }

    /** The challenge as Nimbus's type; {@link IllegalArgumentException} when it is not an S256 challenge. */
    static CodeChallenge parseChallenge(String challenge) {
        if (!isChallenge(challenge)) {
            throw new IllegalArgumentException("not an S256 code challenge");
        }
        try {
            return CodeChallenge.parse(challenge);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new IllegalArgumentException("not an S256 code challenge");
        }
    }

    public static boolean isVerifier(String value) {
        return value != null && VERIFIER.matcher(value).matches();
    }

    public static boolean isChallenge(String value) {
        return value != null && CHALLENGE.matcher(value).matches();
    }

    /** True when {@code verifier} is well-formed and its S256 challenge equals {@code challenge}, in constant time. */
    public static boolean matches(String verifier, String challenge) {
        if (!isVerifier(verifier) || challenge == null) {
            return false;
        }
        return MessageDigest.isEqual(challenge(verifier).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
