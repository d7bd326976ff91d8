package dev.gatehouse.identity.vault;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Seals vault values with AES-256-GCM (NIST SP 800-38D): a fresh 96-bit nonce per value, a 128-bit tag, and the
 * value's place ({@code user|provider|field}) as additional authenticated data, so a sealed value copied to another
 * row or column does not open. The sealed form is {@code v1.<keyId>.<base64url(nonce || ciphertext || tag)>}; the key
 * id lets keys rotate.
 */
@Singleton
public class VaultCipher {
    /** INSECURE, DEV/TEST ONLY (published): base64("gatehouse-dev-only-vault-key-32b"). */
    static final String DEV_KEY = "Z2F0ZWhvdXNlLWRldi1vbmx5LXZhdWx0LWtleS0zMmI=";
    static final String DEV_KEY_ID = "dev";
    private static final String PREFIX = "v1.";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> keys;
    private final String activeKeyId;

    @jakarta.inject.Inject
    public VaultCipher(VaultConfig config, Environment environment) {
        this(config, environment.getActiveNames().contains(Environment.DEVELOPMENT)
                || environment.getActiveNames().contains(Environment.TEST));
    }

    VaultCipher(VaultConfig config, boolean devOrTest) {
        Map<String, String> configured = config.keys() == null ? Map.of() : config.keys();
        if (configured.isEmpty()) {
            if (!devOrTest) {
                throw new InvalidConfigurationException(List.of("gatehouse.identity.vault.keys: at least one key is "
                        + "required (key id → base64 of 32 random bytes, e.g. `openssl rand -base64 32`)"));
            }
            configured = Map.of(DEV_KEY_ID, DEV_KEY);
        }
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        for (var entry : configured.entrySet()) {
            String key = "gatehouse.identity.vault.keys." + entry.getKey();
            if (!KEY_ID.matcher(entry.getKey()).matches()) {
                throw new InvalidConfigurationException(List.of(key + ": a key id is 1-32 of A-Z a-z 0-9 _ -"));
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(entry.getValue().trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(List.of(key + ": not base64"));
            }
            if (bytes.length != 32) {
                throw new InvalidConfigurationException(List.of(key + ": must be exactly 32 bytes (AES-256)"));
            }
            if (!devOrTest && DEV_KEY.equals(entry.getValue().trim())) {
                throw new InvalidConfigurationException(List.of(key + ": the published dev key is refused outside "
                        + "the dev and test environments"));
            }
            parsed.put(entry.getKey(), new SecretKeySpec(bytes, "AES"));
        }
        String active = config.activeKeyId();
        if (active == null || active.isBlank()) {
            if (parsed.size() != 1) {
                throw new InvalidConfigurationException(List.of("gatehouse.identity.vault.active-key-id: required "
                        + "when several keys are listed"));
            }
            active = parsed.keySet().iterator().next();
        }
        if (!parsed.containsKey(active)) {
            throw new InvalidConfigurationException(List.of("gatehouse.identity.vault.active-key-id: '" + active
                    + "' is not one of the listed keys"));
        }
        this.keys = Map.copyOf(parsed);
        this.activeKeyId = active;
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** Seals {@code plaintext} under the active key, bound to {@code context}. */
    public String seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(activeKeyId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + activeKeyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext, or empty when the value is malformed, names an unknown key, or fails authentication. */
    public Optional<String> open(String sealed, String context) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = sealed.indexOf('.', PREFIX.length());
        if (dot < 0) {
            return Optional.empty();
        }
        String keyId = sealed.substring(PREFIX.length(), dot);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            return Optional.empty();
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(dot + 1));
            if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(aad(keyId, context));
            byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The key id a sealed value names (for re-sealing after a rotation). */
    public static Optional<String> keyIdOf(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = sealed.indexOf('.', PREFIX.length());
        return dot < 0 ? Optional.empty() : Optional.of(sealed.substring(PREFIX.length(), dot));
    }

    private static byte[] aad(String keyId, String context) {
        return ("gatehouse-vault/v1|" + keyId + "|" + context).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "VaultCipher[keyIds=" + keys.keySet() + ", active=" + activeKeyId + "]";
    }
}
