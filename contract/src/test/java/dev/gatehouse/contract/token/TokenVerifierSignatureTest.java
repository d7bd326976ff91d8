package dev.gatehouse.contract.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gatehouse.contract.token.TestTokens.ATTACKER;
import static dev.gatehouse.contract.token.TestTokens.EC_KEY;
import static dev.gatehouse.contract.token.TestTokens.KEY;
import static dev.gatehouse.contract.token.TestTokens.NEXT_KEY;
import static dev.gatehouse.contract.token.TestTokens.claims;
import static dev.gatehouse.contract.token.TestTokens.encode;
import static dev.gatehouse.contract.token.TestTokens.header;
import static dev.gatehouse.contract.token.TestTokens.jwks;
import static dev.gatehouse.contract.token.TestTokens.sign;
import static dev.gatehouse.contract.token.TestTokens.token;
import static dev.gatehouse.contract.token.TestTokens.verifier;
import static dev.gatehouse.contract.token.TestTokens.with;
import static dev.gatehouse.contract.token.TestTokens.without;
import static org.assertj.core.api.Assertions.assertThat;

/** Signature, algorithm, key selection and header rules (RFC 8725 §2, §3.1, §3.11). */
class TokenVerifierSignatureTest {
    private final TokenVerifier verifier = verifier();

    @Test
    void aTokenSignedByThePublishedKeyIsAPrincipal() {
        assertThat(verifier.verify(token())).isInstanceOf(Principal.class);
    }

    @Test
    void aTamperedPayloadFailsTheSignature() {
        String[] parts = token().split("\\.");
        String forged = parts[0] + "." + encode("{\"iss\":\"" + TestTokens.ISSUER + "\",\"sub\":\"usr_admin\"}") + "."
                + parts[2];
        assertThat(verifier.verify(forged)).isEqualTo(new TokenInvalid("signature does not verify"));
    }

    @Test
    void aTokenSignedByAnotherKeyUnderThePublishedKidFailsTheSignature() {
        assertThat(verifier.verify(sign(ATTACKER, header(), claims())))
                .isEqualTo(new TokenInvalid("signature does not verify"));
    }

    @Test
    void aForgedTokenIsInvalidEvenWhenItsExpIsPast() {
        var expired = with(claims(), "exp", TestTokens.NOW.getEpochSecond() - 3600);
        assertThat(verifier.verify(token(expired))).isInstanceOf(TokenExpired.class);
        assertThat(verifier.verify(sign(ATTACKER, header(), expired)))
                .isEqualTo(new TokenInvalid("signature does not verify"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void algNoneIsRefused(String none) {
        String unsigned = encode("{\"alg\":\"" + none + "\",\"typ\":\"at+jwt\"}") + "."
                + encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims()));
        assertThat(verifier.verify(unsigned + ".")).isEqualTo(new TokenInvalid("unsigned token"));
        assertThat(verifier.verify(unsigned + ".c2ln")).isEqualTo(new TokenInvalid("alg missing or not allowed"));
    }

    @Test
    void hs256SignedWithThePublicKeyAsSecretIsRefused() throws JOSEException {
        byte[] der = KEY.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : List.of(der, pem.getBytes(StandardCharsets.US_ASCII),
                KEY.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
                jwks(KEY).toString().getBytes(StandardCharsets.UTF_8))) {
            for (String hs : List.of("HS256", "HS384", "HS512")) {
                String confused = sign(secret, with(header(), "alg", hs), claims());
                assertThat(verifier.verify(confused)).isEqualTo(new TokenInvalid("alg missing or not allowed"));
            }
        }
    }

    @Test
    void anAlgorithmThatIsNotConfiguredIsRefused() {
        var keys = JwksSource.of(jwks(KEY, EC_KEY));
        String es256 = sign(EC_KEY, with(with(header(), "alg", "ES256"), "kid", "e1"), claims());
        assertThat(verifier(keys).build().verify(es256)).isEqualTo(new TokenInvalid("alg missing or not allowed"));
        assertThat(verifier(keys).algorithms("RS256", "ES256").build().verify(es256)).isInstanceOf(Principal.class);
    }

    @Test
    void algMustBeSpelledExactly() {
        assertThat(verifier.verify(sign(KEY, with(header(), "alg", "rs256"), claims())))
                .isEqualTo(new TokenInvalid("alg missing or not allowed"));
        assertThat(verifier.verify(sign(KEY, without(header(), "alg"), claims())))
                .isEqualTo(new TokenInvalid("alg missing or not allowed"));
    }

    @Test
    void anAlgorithmMustFitTheKeyItNames() {
        var verifier = verifier(JwksSource.of(jwks(KEY, EC_KEY))).algorithms("RS256", "ES256").build();
        String esUnderRsaKid = sign(EC_KEY, with(header(), "alg", "ES256"), claims());
        assertThat(verifier.verify(esUnderRsaKid)).isEqualTo(new TokenInvalid("alg does not fit the key"));
    }

    @Test
    void aKeyThatNamesItsAlgVerifiesOnlyThatAlg() throws JOSEException {
        RSAKey rs512Only = new RSAKey.Builder(KEY.toRSAPublicKey()).keyID("k1").algorithm(JWSAlgorithm.RS512).build();
        var verifier = verifier(JwksSource.of(jwks(rs512Only))).algorithms("RS256", "RS512").build();
        assertThat(verifier.verify(token())).isEqualTo(new TokenInvalid("alg does not fit the key"));
        assertThat(verifier.verify(sign(KEY, with(header(), "alg", "RS512"), claims()))).isInstanceOf(Principal.class);
    }

    @Test
    void ps256VerifiesWithAnRsaKeyWhenConfigured() {
        String ps256 = sign(KEY, with(header(), "alg", "PS256"), claims());
        assertThat(verifier.verify(ps256)).isEqualTo(new TokenInvalid("alg missing or not allowed"));
        assertThat(verifier(JwksSource.of(jwks(KEY))).algorithms("PS256").build().verify(ps256))
                .isInstanceOf(Principal.class);
    }

    @Test
    void aKeyEmbeddedInTheJwkHeaderIsNeverTrusted() {
        var header = with(header(), "jwk", ATTACKER.toPublicJWK().toJSONObject());
        assertThat(verifier.verify(sign(ATTACKER, header, claims())))
                .isEqualTo(new TokenInvalid("signature does not verify"));
        assertThat(verifier.verify(sign(ATTACKER, with(header, "kid", "attacker"), claims())))
                .isEqualTo(new TokenInvalid("no key for kid"));
    }

    @Test
    void aCertificateChainInX5cIsNeverTrusted() throws JOSEException {
        var header = with(header(), "x5c", List.of(Base64.getEncoder().encodeToString(
                ATTACKER.toRSAPublicKey().getEncoded())));
        assertThat(verifier.verify(sign(ATTACKER, header, claims())))
                .isEqualTo(new TokenInvalid("signature does not verify"));
    }

    @Test
    void jkuAndX5uAreNeverFetched() throws IOException {
        var requests = new AtomicInteger();
        HttpServer attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        attacker.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = jwks(ATTACKER).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        try {
            String url = "http://127.0.0.1:" + attacker.getAddress().getPort() + "/jwks.json";
            for (String header : List.of("jku", "x5u")) {
                assertThat(verifier.verify(sign(ATTACKER, with(header(), header, url), claims())))
                        .isEqualTo(new TokenInvalid("signature does not verify"));
                assertThat(verifier.verify(sign(ATTACKER, with(with(header(), header, url), "kid", "attacker"),
                        claims()))).isEqualTo(new TokenInvalid("no key for kid"));
            }
            assertThat(requests).hasValue(0);
        } finally {
            attacker.stop(0);
        }
    }

    @Test
    void keyHeadersOnAGenuineTokenAreIgnored() {
        var header = header();
        header.put("jku", "https://attacker.example/jwks.json");
        header.put("x5u", "https://attacker.example/cert.pem");
        header.put("jwk", ATTACKER.toPublicJWK().toJSONObject());
        header.put("x5c", List.of("bm90IGEgY2VydGlmaWNhdGU="));
        assertThat(verifier.verify(sign(KEY, header, claims()))).isInstanceOf(Principal.class);
    }

    @Test
    void criticalHeaderParametersAreRefused() {
        var header = with(with(header(), "crit", List.of("urn:example:policy")), "urn:example:policy", "strict");
        assertThat(verifier.verify(sign(KEY, header, claims())))
                .isEqualTo(new TokenInvalid("critical header parameters are not supported"));
        assertThat(verifier.verify(sign(KEY, with(header(), "crit", List.of("b64")), claims())))
                .isEqualTo(new TokenInvalid("critical header parameters are not supported"));
        assertThat(verifier.verify(sign(KEY, with(header(), "crit", List.of()), claims())))
                .isEqualTo(new TokenInvalid("critical header parameters are not supported"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"at+jwt", "AT+JWT", "application/at+jwt", "Application/AT+JWT"})
    void typIsComparedAsAMediaType(String typ) {
        assertThat(verifier.verify(sign(KEY, with(header(), "typ", typ), claims()))).isInstanceOf(Principal.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "application/jwt", "at+jwt; charset=utf-8", "id_token+jwt", "", "at+jw"})
    void anotherTypIsRefused(String typ) {
        assertThat(verifier.verify(sign(KEY, with(header(), "typ", typ), claims())))
                .isEqualTo(new TokenInvalid("typ not accepted"));
    }

    @Test
    void typMustBeAString() {
        assertThat(verifier.verify(sign(KEY, with(header(), "typ", List.of("at+jwt")), claims())))
                .isEqualTo(new TokenInvalid("typ not accepted"));
    }

    @Test
    void aMissingTypIsRefusedUnlessAcceptedForAnExternalIssuer() {
        String untyped = sign(KEY, without(header(), "typ"), claims());
        assertThat(verifier.verify(untyped)).isEqualTo(new TokenInvalid("typ missing"));
        assertThat(verifier(JwksSource.of(jwks(KEY))).acceptMissingType(true).build().verify(untyped))
                .isInstanceOf(Principal.class);
    }

    @Test
    void acceptedTypesReplaceTheDefault() {
        var verifier = verifier(JwksSource.of(jwks(KEY))).acceptedTypes("JWT").build();
        assertThat(verifier.verify(sign(KEY, with(header(), "typ", "JWT"), claims()))).isInstanceOf(Principal.class);
        assertThat(verifier.verify(token())).isEqualTo(new TokenInvalid("typ not accepted"));
    }

    @Test
    void withoutKidTheOnlyKeyOfTheSetIsUsed() {
        assertThat(verifier.verify(sign(KEY, without(header(), "kid"), claims()))).isInstanceOf(Principal.class);
    }

    @Test
    void withSeveralKeysTheKidIsRequired() {
        var verifier = verifier(JwksSource.of(jwks(KEY, NEXT_KEY))).build();
        assertThat(verifier.verify(sign(KEY, without(header(), "kid"), claims())))
                .isEqualTo(new TokenInvalid("kid missing and the key set has several keys"));
        assertThat(verifier.verify(token())).isInstanceOf(Principal.class);
        assertThat(verifier.verify(sign(NEXT_KEY, with(header(), "kid", "k2"), claims())))
                .isInstanceOf(Principal.class);
    }

    @Test
    void kidMustBeAString() {
        assertThat(verifier.verify(sign(KEY, with(header(), "kid", 1), claims())))
                .isEqualTo(new TokenInvalid("kid is not a string"));
    }

    @Test
    void encryptionKeysOfTheSetAreNeverUsed() throws JOSEException {
        RSAKey encryptionKey = new RSAKey.Builder(KEY.toRSAPublicKey()).keyID("k1").keyUse(KeyUse.ENCRYPTION).build();
        assertThat(verifier(JwksSource.of(jwks(encryptionKey))).build().verify(token()))
                .isEqualTo(new TokenInvalid("no key for kid"));
    }

    @Test
    void rsaKeysUnder2048BitsAreNeverUsed() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        var pair = generator.generateKeyPair();
        RSAKey weak = new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pair.getPublic())
                .privateKey(pair.getPrivate()).keyID("k1").build();
        assertThat(verifier(JwksSource.of(jwks(weak))).build().verify(sign(weak, header(), claims())))
                .isEqualTo(new TokenInvalid("no key for kid"));
    }

    @Test
    void es256IsAPrincipalWhenConfigured() {
        var verifier = verifier(JwksSource.of(jwks(EC_KEY))).algorithms("ES256").build();
        String token = sign(EC_KEY, with(with(header(), "alg", "ES256"), "kid", "e1"), claims());
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(Principal.class,
                p -> assertThat(p.subject()).isEqualTo("usr_01j9zq5w3m8r7x2c4v6b8n0p1q"));
        String[] parts = token.split("\\.");
        String zeroSignature = parts[0] + "." + parts[1] + "." + encode("\0".repeat(64));
        assertThat(verifier.verify(zeroSignature)).isEqualTo(new TokenInvalid("signature does not verify"));
    }

    @Test
    void theSignatureIsCheckedOverTheExactBytesReceived() {
        Map<String, Object> claims = claims();
        String[] parts = token(claims).split("\\.");
        String reencoded = encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims) + " ");
        assertThat(verifier.verify(parts[0] + "." + reencoded + "." + parts[2]))
                .isEqualTo(new TokenInvalid("signature does not verify"));
    }
}
