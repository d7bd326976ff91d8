package dev.gatehouse.contract.token;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.gatehouse.contract.token.TestTokens.KEY;
import static dev.gatehouse.contract.token.TestTokens.claims;
import static dev.gatehouse.contract.token.TestTokens.encode;
import static dev.gatehouse.contract.token.TestTokens.header;
import static dev.gatehouse.contract.token.TestTokens.sign;
import static dev.gatehouse.contract.token.TestTokens.signRaw;
import static dev.gatehouse.contract.token.TestTokens.token;
import static dev.gatehouse.contract.token.TestTokens.verifier;
import static dev.gatehouse.contract.token.TestTokens.with;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever arrives, verify() answers: anything but a well-formed compact JWS is TokenInvalid, and never throws. */
class TokenVerifierInputTest {
    private final TokenVerifier verifier = verifier();

    @ParameterizedTest
    @NullAndEmptySource
    void noTokenIsInvalid(String token) {
        assertThat(verifier.verify(token)).isEqualTo(new TokenInvalid("no token"));
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "garbage", "a.b", "a.b.c.d", "a.b.c.d.e.f", ".a.b", "Bearer x.y.z",
            "eyJhbGciOiJSUzI1NiJ9.e30.c2ln ", "a.b.c=", "a+b.c/d.e", "é.b.c", "a.b.c\n"})
    void somethingThatIsNotACompactJwsIsInvalid(String token) {
        assertThat(verifier.verify(token)).isEqualTo(new TokenInvalid("not a compact JWS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc.def.ghi", "e30.e30.c2ln", "W10.e30.c2ln", "bnVsbA.e30.c2ln", "eyJhbGciOiJSUzI1NiJ9x.e30.c2ln",
            "eyJhbGciOiJSUzI1NiIsImFsZyI6Im5vbmUifQ.e30.c2ln"})
    void aHeaderThatIsNotAJsonObjectOrHasNoAlgIsInvalid(String token) {
        assertThat(verifier.verify(token)).isInstanceOf(TokenInvalid.class);
    }

    @Test
    void aDuplicateHeaderParameterIsInvalid() {
        String header = encode("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\",\"alg\":\"none\"}");
        assertThat(verifier.verify(header + ".e30.c2ln")).isEqualTo(new TokenInvalid("header is not a JSON object"));
    }

    @Test
    void claimsThatAreNotAJsonObjectAreInvalidOnceSigned() {
        String header = token().split("\\.")[0];
        assertThat(verifier.verify(signRaw(header + "." + encode("[\"not\",\"an\",\"object\"]"))))
                .isEqualTo(new TokenInvalid("claims are not a JSON object"));
        assertThat(verifier.verify(signRaw(header + "."))).isEqualTo(new TokenInvalid("claims are not a JSON object"));
        assertThat(verifier.verify(signRaw(header + ".bm90IGpzb24"))).isEqualTo(new TokenInvalid("claims are not a JSON object"));
    }

    @Test
    void aJweIsInvalid() throws JOSEException {
        var jwe = new JWEObject(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                new Payload(token()));
        jwe.encrypt(new RSAEncrypter(KEY.toRSAPublicKey()));
        assertThat(verifier.verify(jwe.serialize())).isEqualTo(new TokenInvalid("encrypted tokens (JWE) are not accepted"));
    }

    @Test
    void aTokenOver16KibIsInvalidEvenWhenCorrectlySigned() {
        String big = token(with(claims(), "padding", "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH)));
        assertThat(verifier.verify(big)).isEqualTo(new TokenInvalid("token longer than 16384 characters"));
        String justFits = token(with(claims(), "padding", "x".repeat(11_500)));
        assertThat(justFits.length()).isLessThanOrEqualTo(TokenVerifier.MAX_TOKEN_LENGTH);
        assertThat(verifier.verify(justFits)).isInstanceOf(Principal.class);
    }

    @Test
    void deeplyNestedJsonInTheHeaderIsInvalid() {
        String nested = "{\"alg\":\"RS256\",\"x\":" + "[".repeat(11_000) + "]".repeat(11_000) + "}";
        String token = encode(nested) + ".e30.c2ln";
        assertThat(token.length()).isGreaterThan(TokenVerifier.MAX_TOKEN_LENGTH);
        String fits = encode("{\"alg\":\"RS256\",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}") + ".e30.c2ln";
        assertThat(verifier.verify(fits)).isInstanceOf(TokenInvalid.class);
    }

    @Test
    void aJwksSourceThatThrowsDoesNotEscape() {
        var calls = new AtomicInteger();
        TokenVerifier broken = TestTokens.verifier(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        }).build();
        assertThat(broken.verify(token())).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void aJwksSourceThatReturnsNothingIsAFailedFetch() {
        assertThat(TestTokens.verifier(() -> null).build().verify(token())).isEqualTo(new TokenInvalid("no key for kid"));
    }

    @Test
    void reasonsNeverContainTheToken() {
        String token = sign(KEY, with(header(), "kid", "kid-from-the-token"), with(claims(), "iss", "https://evil"));
        var rejection = (TokenInvalid) verifier.verify(token);
        assertThat(rejection.reason()).doesNotContain("kid-from-the-token").doesNotContain(token.substring(0, 20));
    }

}
