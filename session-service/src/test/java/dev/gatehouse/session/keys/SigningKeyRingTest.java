package dev.gatehouse.session.keys;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which key signs and which are published: pure functions of the rows and the time, so replicas agree. */
class SigningKeyRingTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static StoredKey key(String kid, int activatesHour, Integer retiresHour, Integer expiresHour) {
        return new StoredKey(kid, SigningAlgorithm.RS256, "{}", new byte[0], "kek", T, T.plusSeconds(activatesHour * 3600L),
                retiresHour == null ? null : T.plusSeconds(retiresHour * 3600L),
                expiresHour == null ? null : T.plusSeconds(expiresHour * 3600L));
    }

    private static Optional<String> activeAt(List<StoredKey> keys, int hour) {
        return KeyRing.active(keys, T.plusSeconds(hour * 3600L)).map(StoredKey::kid);
    }

    @Test
    void theLatestActivatedUnretiredKeySigns() {
        var old = key("key_a", 0, 10, 35);
        var next = key("key_b", 10, null, null);
        List<StoredKey> keys = List.of(next, old);

        assertThat(activeAt(keys, 0)).hasValue("key_a");
        assertThat(activeAt(keys, 9)).hasValue("key_a");
        assertThat(KeyRing.pending(keys, T.plusSeconds(9 * 3600L))).map(StoredKey::kid).hasValue("key_b");
        // retires_at and the successor's activates_at are the same instant: exactly one key signs at any time
        assertThat(activeAt(keys, 10)).hasValue("key_b");
        assertThat(KeyRing.pending(keys, T.plusSeconds(10 * 3600L))).isEmpty();
        // nothing signs before the first activation, and a retired key never signs again
        assertThat(activeAt(List.of(key("key_c", 5, null, null)), 4)).isEmpty();
        assertThat(activeAt(List.of(old), 10)).isEmpty();
    }

    @Test
    void aTieOnActivationGoesToTheGreaterKidWhateverTheRowOrder() {
        var x = key("key_x", 0, null, null);
        var y = key("key_y", 0, null, null);
        assertThat(activeAt(List.of(x, y), 1)).hasValue("key_y");
        assertThat(activeAt(List.of(y, x), 1)).hasValue("key_y");
    }

    @Test
    void aKeyIsPublishedFromCreationUntilItExpires() {
        var old = key("key_a", 0, 10, 35);
        assertThat(old.publishedAt(T)).isTrue();
        assertThat(old.publishedAt(T.plusSeconds(35 * 3600L - 1))).isTrue();
        assertThat(old.publishedAt(T.plusSeconds(35 * 3600L))).isFalse();
        assertThat(key("key_b", 10, null, null).publishedAt(T)).isTrue();
    }
}
