package dev.gatehouse.session.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable values: base64url of {@code bytes} random bytes from a shared {@link SecureRandom}. */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    /** A base64url string of {@code bytes} random bytes (32 bytes = 256 bits = 43 characters). */
    public static String next(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return ENCODER.encodeToString(buffer);
    }

    /** {@code prefix} followed by 256 random bits, e.g. {@code ghr_...}: scanners can spot a leaked one. */
    public static String prefixed(String prefix) {
        return prefix + next(32);
    }

    /** A uniformly random int in [0, bound). */
    public static int nextInt(int bound) {
        return RANDOM.nextInt(bound);
    }
}
