package dev.gatehouse.identity.internal.crypto;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;

import java.util.Base64;
import java.util.List;

/**
 * identity-service's HMAC key for high-entropy secrets it stores or uses as Redis keys (pending authentications,
 * magic codes, states), under {@code gatehouse.identity.hash-key} (env {@code GATEHOUSE_IDENTITY_HASH_KEY}): base64 of
 * at least 32 random bytes. The dev and test environments ship a published one; elsewhere it must be set.
 *
 * @param hashKey base64 of at least 32 bytes
 */
@Context
@ConfigurationProperties("gatehouse.identity")
public record HashKeyConfig(@Nullable String hashKey) {
    static final int MIN_BYTES = 32;

    public HashKeyConfig {
        if (hashKey == null || hashKey.isBlank()) {
            throw new InvalidConfigurationException(List.of("gatehouse.identity.hash-key: must be set "
                    + "(base64 of 32 random bytes: openssl rand -base64 32)"));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(hashKey.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of("gatehouse.identity.hash-key: must be base64"));
        }
        if (bytes.length < MIN_BYTES) {
            throw new InvalidConfigurationException(List.of("gatehouse.identity.hash-key: must decode to at least "
                    + MIN_BYTES + " bytes"));
        }
    }

    public byte[] keyBytes() {
        return Base64.getDecoder().decode(hashKey.trim());
    }

    @Override
    public String toString() {
        return "HashKeyConfig[hashKey=***]";
    }
}
