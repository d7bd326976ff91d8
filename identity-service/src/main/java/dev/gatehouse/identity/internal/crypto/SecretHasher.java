package dev.gatehouse.identity.internal.crypto;

import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keyed hashes (HMAC-SHA256 under {@code gatehouse.identity.hash-key}) of high-entropy secrets, so that a copy of
 * Redis or the database alone cannot use or test them; each use has its own purpose label. Also mints such secrets.
 * Human passwords get argon2id instead ({@code PasswordHasher}).
 */
@Singleton
public class SecretHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public SecretHasher(HashKeyConfig config) {
        this.key = new SecretKeySpec(config.keyBytes(), "HmacSHA256");
    }

    public byte[] hash(String purpose, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Hex of {@link #hash}, for Redis keys and columns. */
    public String hashHex(String purpose, String secret) {
        return HexFormat.of().formatHex(hash(purpose, secret));
    }

    /** Constant-time comparison of {@code secret}'s hash with a stored one. */
    public boolean matches(String purpose, String secret, byte[] stored) {
        return stored != null && MessageDigest.isEqual(hash(purpose, secret), stored);
    }

    /** A fresh secret of {@code bytes} random bytes, base64url without padding. */
    public static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
