package dev.gatehouse.session.keys;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * One row of {@code signing_key}.
 *
 * @param kid          key id, in every token's header; time-ordered ({@code key_<ulid>})
 * @param algorithm    what it signs with
 * @param publicJwk    the public JWK (JSON) as served in the JWKS
 * @param ciphertext   the PKCS#8 private key, encrypted by {@link KeyEncryption}
 * @param kekId        id of the KEK it is encrypted under
 * @param createdAt    when it was generated
 * @param activatesAt  from when it signs (it is published from {@code createdAt})
 * @param retiresAt    from when it no longer signs; null while no successor exists
 * @param expiresAt    from when it is no longer published (and is deleted); null while not retired
 */
record StoredKey(String kid, SigningAlgorithm algorithm, String publicJwk, byte[] ciphertext, String kekId,
                 Instant createdAt, Instant activatesAt, @Nullable Instant retiresAt, @Nullable Instant expiresAt) {

    /** It signs at {@code now}, unless a later-activated key also does (see {@link KeyRing#active}). */
    boolean signsAt(Instant now) {
        return !activatesAt.isAfter(now) && (retiresAt == null || retiresAt.isAfter(now));
    }

    /** It is published at {@code now}: from creation (so before it signs) until it expires. */
    boolean publishedAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    /** It will never sign again after {@code now}: its private key is no longer needed. */
    boolean retiredAt(Instant now) {
        return retiresAt != null && !retiresAt.isAfter(now);
    }

    @Override
    public String toString() {
        return "StoredKey[kid=" + kid + ", algorithm=" + algorithm + ", kekId=" + kekId + ", activatesAt="
                + activatesAt + ", retiresAt=" + retiresAt + ", expiresAt=" + expiresAt + "]";
    }
}
