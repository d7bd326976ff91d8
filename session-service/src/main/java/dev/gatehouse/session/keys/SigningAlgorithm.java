package dev.gatehouse.session.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;

/** The JWS algorithms session-service signs with (RFC 7518 §3.1). Changing it takes effect at the next rotation. */
public enum SigningAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256 over an RSA 2048 key: what every verifier supports. */
    RS256(JWSAlgorithm.RS256, "RSA"),
    /** ECDSA with P-256 and SHA-256: smaller tokens, faster signing. */
    ES256(JWSAlgorithm.ES256, "EC");

    private static final int RSA_BITS = 2048;
    private final JWSAlgorithm jws;
    private final String keyFactory;

    SigningAlgorithm(JWSAlgorithm jws, String keyFactory) {
        this.jws = jws;
        this.keyFactory = keyFactory;
    }

    public JWSAlgorithm jws() {
        return jws;
    }

    /** A fresh key pair as a private JWK with {@code kid}, {@code alg} and {@code use=sig}. */
    JWK generate(String kid) {
        try {
            return switch (this) {
                case RS256 -> new RSAKeyGenerator(RSA_BITS).keyID(kid).algorithm(jws).keyUse(KeyUse.SIGNATURE)
                        .generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(jws).keyUse(KeyUse.SIGNATURE)
                        .generate();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }

    /** The private key of a JWK, PKCS#8-encoded: what is encrypted at rest. */
    byte[] pkcs8(JWK privateJwk) {
        try {
            PrivateKey key = switch (this) {
                case RS256 -> privateJwk.toRSAKey().toPrivateKey();
                case ES256 -> privateJwk.toECKey().toPrivateKey();
            };
            return key.getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot encode a " + this + " private key", e);
        }
    }

    /** Whether {@code signer} makes signatures that {@code publicJwk} verifies: catches mismatched rows at load. */
    boolean pairs(JWSSigner signer, JWK publicJwk) {
        try {
            JWSVerifier verifier = switch (this) {
                case RS256 -> new RSASSAVerifier(publicJwk.toRSAKey());
                case ES256 -> new ECDSAVerifier(publicJwk.toECKey());
            };
            var probe = new JWSObject(new JWSHeader(jws), new Payload("gatehouse key check"));
            probe.sign(signer);
            return probe.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    /** A signer over a PKCS#8-encoded private key of this algorithm's type. */
    JWSSigner signer(byte[] pkcs8) {
        try {
            PrivateKey key = KeyFactory.getInstance(keyFactory).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return switch (this) {
                case RS256 -> new RSASSASigner(key);
                case ES256 -> new ECDSASigner((ECPrivateKey) key);
            };
        } catch (NoSuchAlgorithmException | InvalidKeySpecException | JOSEException | ClassCastException e) {
            throw new IllegalStateException("not a " + this + " private key", e);
        }
    }
}
