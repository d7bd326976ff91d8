package dev.gatehouse.contract.token;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sealed browser-session cookie: opaque, authenticated, bound to one key, and small enough for a browser. */
class SessionCookieTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes();
    private static final SessionCookie COOKIE = new SessionCookie("ses_01", "h".repeat(43), "eyJ.a.b");

    private final SessionCookie.Sealer sealer = new SessionCookie.Sealer(KEY);

    @Test
    void sealsToAnOpaqueCompactJweThatOpensToTheSameValue() throws Exception {
        String sealed = sealer.seal(COOKIE);
        String[] parts = sealed.split("\\.", -1);
        assertThat(parts).hasSize(5);
        assertThat(parts[1]).isEmpty();
        JWEHeader header = JWEObject.parse(sealed).getHeader();
        assertThat(header.getAlgorithm()).isEqualTo(JWEAlgorithm.DIR);
        assertThat(header.getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
        assertThat(header.getKeyID()).hasSize(16);
        assertThat(sealed).doesNotContain("ses_01").doesNotContain("hhhh").doesNotContain("eyJ.a.b");
        assertThat(sealer.open(sealed)).hasValue(COOKIE);
        // fresh IV each time
        assertThat(sealer.seal(COOKIE)).isNotEqualTo(sealed);
    }

    @Test
    void anyChangeOrAnotherKeyFailsToOpen() {
        String sealed = sealer.seal(COOKIE);
        for (int part : new int[] {0, 2, 3, 4}) {
            String[] parts = sealed.split("\\.", -1);
            byte[] bytes = new Base64URL(parts[part]).decode();
            bytes[0] ^= 0x01;
            parts[part] = Base64URL.encode(bytes).toString();
            assertThat(sealer.open(String.join(".", parts))).as("part " + part).isEmpty();
        }
        assertThat(new SessionCookie.Sealer(OTHER_KEY).open(sealed)).isEmpty();
        assertThat(sealer.open(sealed.substring(0, sealed.length() - 2))).isEmpty();
        for (String garbage : new String[] {null, "", "garbage", "a.b.c", "a.b.c.d.e", "eyJ.a.b"}) {
            assertThat(sealer.open(garbage)).isEmpty();
        }
    }

    @Test
    void aJweUnderTheRightKeyButWithoutTheExpectedShapeIsRefused() throws Exception {
        String kid = JWEObject.parse(sealer.seal(COOKIE)).getHeader().getKeyID();
        // the right key and kid, but not version 1, or missing fields
        for (Map<String, Object> payload : java.util.List.<Map<String, Object>>of(
                Map.of("v", 2, "sid", "s", "h", "h", "at", "a"),
                Map.of("v", 1, "sid", "s", "at", "a"),
                Map.of("v", 1, "sid", "s", "h", "h", "at", 7),
                Map.of("v", 1, "sid", 5, "h", "h", "at", "a"))) {
            var jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(kid)
                    .build(), new Payload(payload));
            jwe.encrypt(new DirectEncrypter(new SecretKeySpec(KEY, "AES")));
            assertThat(sealer.open(jwe.serialize())).as(payload.toString()).isEmpty();
        }
        // another content encryption, even under the right key
        var cbc = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A128CBC_HS256).keyID(kid)
                .build(), new Payload(Map.of("v", 1, "sid", "s", "h", "h", "at", "a")));
        cbc.encrypt(new DirectEncrypter(new SecretKeySpec(KEY, "AES")));
        assertThat(sealer.open(cbc.serialize())).isEmpty();
    }

    @Test
    void aTokenTooLargeForABrowserIsLeftOutAndTheHandleStays() {
        var big = new SessionCookie("ses_01", "h".repeat(43), "a".repeat(3000));
        String sealed = sealer.seal(big);
        assertThat(sealed).hasSizeLessThanOrEqualTo(SessionCookie.MAX_LENGTH);
        var opened = sealer.open(sealed).orElseThrow();
        assertThat(opened.sessionId()).isEqualTo("ses_01");
        assertThat(opened.handle()).isEqualTo("h".repeat(43));
        assertThat(opened.token()).isEmpty();

        var fits = new SessionCookie("ses_01", "h".repeat(43), "a".repeat(2500));
        String fitting = sealer.seal(fits);
        assertThat(fitting).hasSizeLessThanOrEqualTo(SessionCookie.MAX_LENGTH);
        assertThat(sealer.open(fitting).orElseThrow().token()).hasValue("a".repeat(2500));
        assertThat(sealer.open("a".repeat(SessionCookie.MAX_LENGTH + 1))).isEmpty();
    }

    @Test
    void aKeyMustBe32BytesAndIsCopied() {
        assertThatThrownBy(() -> new SessionCookie.Sealer(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionCookie.Sealer(null)).isInstanceOf(IllegalArgumentException.class);
        byte[] key = KEY.clone();
        var copied = new SessionCookie.Sealer(key);
        String sealed = copied.seal(COOKIE);
        Arrays.fill(key, (byte) 0);
        assertThat(copied.open(sealed)).hasValue(COOKIE);
    }

    @Test
    void toStringShowsNeitherHandleNorToken() {
        assertThat(COOKIE.toString()).contains("ses_01").doesNotContain("hhh").doesNotContain("eyJ");
    }
}
