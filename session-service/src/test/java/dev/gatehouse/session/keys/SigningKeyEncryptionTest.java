package dev.gatehouse.session.keys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AES-256-GCM at rest: confidential, authenticated, bound to the kid, and a wrong KEK is named as such. */
class SigningKeyEncryptionTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PLAINTEXT = "a PKCS#8 private key, in tests any bytes".getBytes(StandardCharsets.UTF_8);

    private static byte[] randomKek() {
        byte[] kek = new byte[32];
        RANDOM.nextBytes(kek);
        return kek;
    }

    @Test
    void roundTripsWithAFreshNonceAndNoPlaintextInTheCiphertext() {
        var encryption = new KeyEncryption(randomKek());
        byte[] first = encryption.encrypt("key_1", PLAINTEXT);
        byte[] second = encryption.encrypt("key_1", PLAINTEXT);

        assertThat(encryption.decrypt("key_1", first)).isEqualTo(PLAINTEXT);
        assertThat(first).isNotEqualTo(second);
        assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
        assertThat(first).hasSize(1 + 12 + PLAINTEXT.length + 16);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("PKCS#8 private key");
    }

    @Test
    void anotherKekCannotDecryptAndTheErrorSaysWhy() {
        byte[] ciphertext = new KeyEncryption(randomKek()).encrypt("key_1", PLAINTEXT);
        var other = new KeyEncryption(randomKek());

        assertThatThrownBy(() -> other.decrypt("key_1", ciphertext))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class)
                .hasMessage("signing key key_1: the private key failed authentication under KEK " + other.kekId()
                        + " (a different KEK, an altered ciphertext, or a ciphertext of another key)");
    }

    @Test
    void anAlteredCiphertextOrOneMovedToAnotherKidIsRefused() {
        var encryption = new KeyEncryption(randomKek());
        byte[] ciphertext = encryption.encrypt("key_1", PLAINTEXT);
        for (int i : new int[] {5, 20, ciphertext.length - 1}) {
            byte[] tampered = ciphertext.clone();
            tampered[i] ^= 1;
            assertThatThrownBy(() -> encryption.decrypt("key_1", tampered))
                    .isInstanceOf(KeyEncryption.KeyDecryptionException.class);
        }
        assertThatThrownBy(() -> encryption.decrypt("key_2", ciphertext))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class);
        assertThatThrownBy(() -> encryption.decrypt("key_1", Arrays.copyOf(ciphertext, 20)))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class);
    }

    @Test
    void theKekIdIsTheFirstEightBytesOfItsSha256() throws Exception {
        byte[] kek = Base64.getDecoder().decode(KeyEncryption.DEV_KEK);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(kek)).substring(0, 16);
        assertThat(new KeyEncryption(kek).kekId()).isEqualTo(expected).hasSize(16);
        assertThat(new KeyEncryption(randomKek()).kekId()).isNotEqualTo(expected);
    }
}
