package dev.gatehouse.session.crypto;

import dev.gatehouse.session.ServerConfig;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Hashes high-entropy secrets (client secrets, refresh tokens, codes, session handles) for storage: HMAC-SHA256
 * under {@code gatehouse.session.hash-key}, so a copy of the database alone cannot even test a guess. A fast keyed
 * hash is right here because these secrets are 256-bit random values; human passwords get argon2id elsewhere.
 * Each use gets its own purpose label, so a hash of one kind never matches a lookup of another.
 */
@Singleton
public class SecretHasher {
    private final SecretKeySpec key;

    public SecretHasher(ServerConfig config) {
        this.key = new SecretKeySpec(config.hashKeyBytes(), "HmacSHA256");
    }

    /** The storage hash of {@code secret} for {@code purpose} (e.g. {@code "refresh"}). */
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

    /** Hex of {@link #hash}, for Redis keys. */
    public String hashHex(String purpose, String secret) {
        return java.util.HexFormat.of().formatHex(hash(purpose, secret));
    }

    /** Constant-time comparison of {@code secret}'s hash with a stored one. */
    public boolean matches(String purpose, String secret, byte[] stored) {
        return stored != null && MessageDigest.isEqual(hash(purpose, secret), stored);
    }
}
