package dev.gatehouse.session.keys;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.env.Environment;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Encrypts signing keys at rest: AES-256-GCM under the key-encryption key (KEK), a random 96-bit nonce per
 * encryption, and the key's {@code kid} as associated data (a ciphertext moved to another row does not decrypt).
 * Stored as {@code 0x01 || nonce(12) || ciphertext || tag(16)}. Each row also records the {@link #kekId()} it was
 * encrypted under, so a wrong KEK is reported as such instead of as corruption.
 */
@Singleton
public final class KeyEncryption {
    /**
     * The dev-only KEK: {@code base64("gatehouse-dev-only-insecure-kek!")}. Public knowledge, hence refused outside
     * the {@code dev} and {@code test} environments.
     */
    public static final String DEV_KEK = "Z2F0ZWhvdXNlLWRldi1vbmx5LWluc2VjdXJlLWtlayE=";
    private static final Logger LOG = LoggerFactory.getLogger(KeyEncryption.class);
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEK_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec kek;
    private final String kekId;

    @Inject
    KeyEncryption(SigningKeysConfig config, Environment environment) {
        this(readKek(config));
        if (kekId.equals(idOf(Base64.getDecoder().decode(DEV_KEK)))) {
            Set<String> names = environment.getActiveNames();
            if (!names.contains(Environment.DEVELOPMENT) && !names.contains(Environment.TEST)) {
                throw new InvalidConfigurationException(List.of(SigningKeysConfig.PREFIX + "kek: is the published"
                        + " dev-only KEK; outside the dev and test environments set a random one (docs/keys.md)"));
            }
            LOG.warn("signing keys are encrypted under the published dev-only KEK: fine for dev and tests, never for"
                    + " real users");
        }
    }

    /** A KEK of exactly 32 bytes (tests, tools). */
    public KeyEncryption(byte[] kek) {
        if (kek.length != KEK_BYTES) {
            throw new IllegalArgumentException("a KEK is 32 bytes");
        }
        this.kek = new SecretKeySpec(kek, "AES");
        this.kekId = idOf(kek);
    }

    /** First 8 bytes of SHA-256 of the KEK, hex: identifies it without revealing it. */
    public String kekId() {
        return kekId;
    }

    byte[] encrypt(String kid, byte[] plaintext) {
        byte[] out = new byte[1 + NONCE_BYTES + plaintext.length + TAG_BITS / 8];
        out[0] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The plaintext of {@code ciphertext}, stored for {@code kid}.
     *
     * @throws KeyDecryptionException when it is not this KEK's, was altered, or belongs to another kid
     */
    byte[] decrypt(String kid, byte[] ciphertext) {
        if (ciphertext.length < 1 + NONCE_BYTES + TAG_BITS / 8 || ciphertext[0] != VERSION) {
            throw new KeyDecryptionException("signing key " + kid + ": unknown ciphertext format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, ciphertext, 1, NONCE_BYTES));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(ciphertext, 1 + NONCE_BYTES, ciphertext.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new KeyDecryptionException("signing key " + kid + ": the private key failed authentication under"
                    + " KEK " + kekId + " (a different KEK, an altered ciphertext, or a ciphertext of another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] readKek(SigningKeysConfig config) {
        String key = SigningKeysConfig.PREFIX + (config.kek() != null ? "kek" : "kek-file");
        String text = config.kek();
        if (text == null) {
            try {
                text = Files.readString(Path.of(config.kekFile()), StandardCharsets.US_ASCII).strip();
            } catch (IOException | RuntimeException e) {
                throw new InvalidConfigurationException(List.of(key + ": cannot read " + config.kekFile() + " ("
                        + e.getClass().getSimpleName() + ")"));
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of(key + ": must be base64 (of 32 random bytes)"));
        }
        if (bytes.length != KEK_BYTES) {
            int length = bytes.length;
            Arrays.fill(bytes, (byte) 0);
            throw new InvalidConfigurationException(List.of(key + ": must decode to exactly 32 bytes (AES-256), not "
                    + length));
        }
        return bytes;
    }

    static String idOf(byte[] kek) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(kek), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored private key cannot be decrypted. The message names the kid and KEK id, never key material. */
    public static final class KeyDecryptionException extends RuntimeException {
        KeyDecryptionException(String message) {
            super(message, null, false, false);
        }
    }
}
