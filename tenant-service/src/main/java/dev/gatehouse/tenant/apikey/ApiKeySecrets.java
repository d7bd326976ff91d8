package dev.gatehouse.tenant.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API key format: {@code gh_live_<12 base32 characters>_<43 base64url characters>}. The first part (up to the
 * second underscore) is the public prefix, stored and shown in lists; the rest is 256 random bits. The fixed
 * {@code gh_live_} start lets secret scanners find leaked keys. The key is stored (and published to gateways) only as
 * {@code base64url(SHA-256(key))}: unkeyed, because 256 random bits cannot be guessed from their hash, so a gateway
 * computes it with no shared secret.
 */
public final class ApiKeySecrets {
    public static final String PREFIX = "gh_live_";
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    /** A new key: its public prefix and the whole key. */
    public record Minted(String prefix, String key) {
    }

    public static Minted mint() {
        var prefix = new StringBuilder(PREFIX);
        for (int i = 0; i < 12; i++) {
            prefix.append(BASE32[RANDOM.nextInt(32)]);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Minted(prefix.toString(), key);
    }

    /** {@code base64url(SHA-256(UTF-8 key))} without padding: what gateway-edge computes for a presented key. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
