package dev.gatehouse.identity.vault;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaultCipherTest {
    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static VaultCipher cipher(Map<String, String> keys, String active, String env) {
        return new VaultCipher(new VaultConfig(keys, active, Duration.ofSeconds(60), null, null, "gatehouse"),
                env.equals("test"));
    }

    @Test
    void sealedValuesOpenOnlyInTheirPlace() {
        VaultCipher cipher = cipher(Map.of("k1", K1), null, "prod");
        String sealed = cipher.seal("ya29.secret-token", "usr_1|google|access");
        assertThat(sealed).startsWith("v1.k1.").doesNotContain("ya29").doesNotContain("secret-token");
        assertThat(cipher.seal("ya29.secret-token", "usr_1|google|access")).isNotEqualTo(sealed);
        assertThat(cipher.open(sealed, "usr_1|google|access")).hasValue("ya29.secret-token");
        assertThat(cipher.open(sealed, "usr_2|google|access")).isEmpty();
        assertThat(cipher.open(sealed, "usr_1|google|refresh")).isEmpty();
    }

    @Test
    void aTamperedValueDoesNotOpen() {
        VaultCipher cipher = cipher(Map.of("k1", K1), null, "prod");
        String sealed = cipher.seal("token", "c");
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                + sealed.charAt(sealed.length() - 1);
        assertThat(cipher.open(tampered, "c")).isEmpty();
        assertThat(cipher.open("v1.k1.", "c")).isEmpty();
        assertThat(cipher.open("v1.nokey.AAAA", "c")).isEmpty();
        assertThat(cipher.open("plain", "c")).isEmpty();
    }

    @Test
    void afterARotationOldValuesStillOpenAndNewOnesUseTheNewKey() {
        String old = cipher(Map.of("k1", K1), null, "prod").seal("token", "c");
        Map<String, String> both = new LinkedHashMap<>();
        both.put("k1", K1);
        both.put("k2", K2);
        VaultCipher rotated = cipher(both, "k2", "prod");
        assertThat(rotated.open(old, "c")).hasValue("token");
        assertThat(rotated.seal("token", "c")).startsWith("v1.k2.");
        assertThat(cipher(Map.of("k2", K2), null, "prod").open(old, "c")).isEmpty();
    }

    @Test
    void badKeysFailAtStartupNamingTheKey() {
        assertThatThrownBy(() -> cipher(Map.of(), null, "prod")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("gatehouse.identity.vault.keys");
        assertThatThrownBy(() -> cipher(Map.of("k1", "c2hvcnQ="), null, "prod"))
                .hasMessageContaining("gatehouse.identity.vault.keys.k1");
        assertThatThrownBy(() -> cipher(Map.of("k1", VaultCipher.DEV_KEY), null, "prod"))
                .hasMessageContaining("published dev key");
        assertThatThrownBy(() -> cipher(Map.of("k1", K1, "k2", K2), null, "prod"))
                .hasMessageContaining("active-key-id");
        assertThatThrownBy(() -> cipher(Map.of("k1", K1), "k9", "prod")).hasMessageContaining("k9");
        assertThat(cipher(Map.of(), null, "test").activeKeyId()).isEqualTo("dev");
    }
}
