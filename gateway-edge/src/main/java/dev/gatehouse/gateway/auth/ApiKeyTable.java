package dev.gatehouse.gateway.auth;

import dev.gatehouse.contract.event.tenant.ApiKeyCreated;
import dev.gatehouse.contract.event.tenant.ApiKeyRevoked;
import dev.gatehouse.contract.event.tenant.ApiKeyUpdated;
import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live API keys, in memory, fed by tenant-service's compacted topic {@code gatehouse.tenant.api-key.v1}
 * ({@code ApiKeyCreated}/{@code Updated}/{@code Revoked}): only their SHA-256 hashes, never the keys. A presented key is
 * hashed and looked up; the stored hash is then compared in constant time.
 */
@Singleton
public class ApiKeyTable {
    /** One live key. */
    public record ApiKey(String keyId, String organizationId, String groupId, String prefix, byte[] secretHash,
                         List<String> permissions, RateLimitPolicy rateLimit, Instant expiresAt) {
    }

    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> byId = new ConcurrentHashMap<>();

    public void apply(ApiKeyCreated e) {
        put(new ApiKey(e.keyId(), e.organizationId().value(), e.groupId(), e.prefix(), decode(e.secretHash()),
                e.permissions(), e.rateLimit(), e.expiresAt()));
    }

    public void apply(ApiKeyUpdated e) {
        put(new ApiKey(e.keyId(), e.organizationId().value(), e.groupId(), e.prefix(), decode(e.secretHash()),
                e.permissions(), e.rateLimit(), e.expiresAt()));
    }

    public void apply(ApiKeyRevoked e) {
        remove(e.keyId());
    }

    /** A tombstone (null value) of the compacted topic: the key is gone. */
    public void remove(String keyId) {
        ApiKey old = byId.remove(keyId);
        if (old != null) {
            byHash.remove(encode(old.secretHash()), old);
        }
    }

    private void put(ApiKey key) {
        ApiKey old = byId.put(key.keyId(), key);
        if (old != null) {
            byHash.remove(encode(old.secretHash()), old);
        }
        byHash.put(encode(key.secretHash()), key);
    }

    /** The live key {@code presented} is, if any. */
    public Optional<ApiKey> lookup(String presented) {
        byte[] hash = sha256(presented);
        ApiKey key = byHash.get(encode(hash));
        return key != null && MessageDigest.isEqual(hash, key.secretHash()) ? Optional.of(key) : Optional.empty();
    }

    /** The live key with this id (for rate-limit policies). */
    public Optional<ApiKey> byId(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public int size() {
        return byId.size();
    }

    /** {@code SHA-256(UTF-8 key)}, as tenant-service stores it. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String base64url) {
        return Base64.getUrlDecoder().decode(base64url);
    }

    private static String encode(byte[] hash) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }
}
