package dev.gatehouse.session.keys;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What one replica knows about the keys: the rows as last read, with a signer for each key that can still sign.
 * Immutable; {@link SigningKeys} swaps in a new one on every reload. Which key signs and which are published are
 * pure functions of the rows and the time, so replicas with the same rows and (roughly) the same clock agree.
 *
 * @param keys        every stored key, in activation order
 * @param loadedNanos {@link System#nanoTime()} of the read
 */
record KeyRing(List<Loaded> keys, long loadedNanos) {

    static final KeyRing EMPTY = new KeyRing(List.of(), System.nanoTime());
    private static final Comparator<StoredKey> ORDER =
            Comparator.comparing(StoredKey::activatesAt).thenComparing(StoredKey::kid);

    /** The newest-activated key that signs at {@code now}; ties go to the greater kid. */
    static Optional<StoredKey> active(List<StoredKey> keys, Instant now) {
        return keys.stream().filter(k -> k.signsAt(now)).max(ORDER);
    }

    /** A key that is published but does not sign yet. */
    static Optional<StoredKey> pending(List<StoredKey> keys, Instant now) {
        return keys.stream().filter(k -> k.activatesAt().isAfter(now) && k.retiresAt() == null).max(ORDER);
    }

    /** {@link #active(List, Instant)} over the loaded keys; a plain loop, as it runs for every token signed. */
    Optional<Loaded> active(Instant now) {
        Loaded best = null;
        for (Loaded key : keys) {
            if (key.row().signsAt(now) && (best == null || ORDER.compare(key.row(), best.row()) > 0)) {
                best = key;
            }
        }
        return Optional.ofNullable(best);
    }

    List<Loaded> publishedAt(Instant now) {
        return keys.stream().filter(k -> k.row().publishedAt(now)).toList();
    }

    List<StoredKey> rows() {
        return keys.stream().map(Loaded::row).toList();
    }

    Optional<Loaded> find(String kid) {
        return keys.stream().filter(k -> k.row().kid().equals(kid)).findFirst();
    }

    /**
     * A stored key ready for use.
     *
     * @param row       as stored
     * @param publicJwk its public JWK
     * @param signer    null when it was retired when loaded, or could not be decrypted (see {@code failure})
     * @param failure   why there is no signer for a key that still needs one
     */
    record Loaded(StoredKey row, JWK publicJwk, @Nullable JWSSigner signer, @Nullable String failure) {
    }
}
