package dev.gatehouse.contract.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keys, a frozen instant and a minter that signs any header and claims, including ones no issuer should send. */
final class TestTokens {
    static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");
    static final Clock FROZEN = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ISSUER = "https://auth.gatehouse.test";
    static final String AUDIENCE = "https://api.gatehouse.test";

    /** The issuer's signing key, published as kid k1. */
    static final RSAKey KEY = rsa("k1");
    /** A second published key, after rotation. */
    static final RSAKey NEXT_KEY = rsa("k2");
    /** The attacker's key; it claims the issuer's kid. */
    static final RSAKey ATTACKER = rsa("k1");
    static final ECKey EC_KEY = ec("e1");

    private TestTokens() {
    }

    static Map<String, Object> header() {
        var header = new LinkedHashMap<String, Object>();
        header.put("alg", "RS256");
        header.put("typ", "at+jwt");
        header.put("kid", "k1");
        return header;
    }

    /** The claims of a valid token at {@link #NOW}. */
    static Map<String, Object> claims() {
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", ISSUER);
        claims.put("sub", "usr_01j9zq5w3m8r7x2c4v6b8n0p1q");
        claims.put("aud", AUDIENCE);
        claims.put("exp", NOW.getEpochSecond() + 300);
        claims.put("iat", NOW.getEpochSecond() - 10);
        claims.put("jti", "at_01j9zq6a");
        return claims;
    }

    static String token(Map<String, Object> claims) {
        return sign(KEY, header(), claims);
    }

    static String token() {
        return token(claims());
    }

    /**
     * header.payload signed with {@code key} by the algorithm the header names, or the key type's usual one when the
     * header names none the key can sign with. A byte[] key is an HMAC secret; an RSA key under 2048 bits (which
     * Nimbus refuses to sign with) signs through the JDK with SHA256withRSA.
     */
    static String sign(Object key, Map<String, Object> header, Map<String, Object> claims) {
        String signingInput = encode(JSONObjectUtils.toJSONString(header)) + "." + encode(JSONObjectUtils.toJSONString(claims));
        JWSAlgorithm requested = header.get("alg") instanceof String name ? JWSAlgorithm.parse(name) : null;
        try {
            if (key instanceof RSAKey rsa && rsa.size() < 2048) {
                var signature = java.security.Signature.getInstance("SHA256withRSA");
                signature.initSign(rsa.toPrivateKey());
                signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                return signingInput + "." + Base64URL.encode(signature.sign());
            }
            JWSSigner signer = switch (key) {
                case RSAKey rsa -> new RSASSASigner(rsa);
                case ECKey ec -> new ECDSASigner(ec);
                case byte[] secret -> new MACSigner(secret);
                default -> throw new IllegalArgumentException(String.valueOf(key));
            };
            JWSAlgorithm alg = signer.supportedJWSAlgorithms().contains(requested) ? requested
                    : key instanceof RSAKey ? JWSAlgorithm.RS256 : key instanceof ECKey ? JWSAlgorithm.ES256
                    : JWSAlgorithm.HS256;
            Base64URL signature = signer.sign(new JWSHeader(alg), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code signingInput} signed with RS256 by {@link #KEY}, whatever it contains. */
    static String signRaw(String signingInput) {
        try {
            return signingInput + "." + new RSASSASigner(KEY).sign(new JWSHeader(JWSAlgorithm.RS256),
                    signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static JWKSet jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet();
    }

    static TokenVerifier.Builder verifier(JwksSource keys) {
        return TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwkSource(keys).clock(FROZEN);
    }

    static TokenVerifier verifier() {
        return verifier(JwksSource.of(jwks(KEY))).build();
    }

    static Map<String, Object> with(Map<String, Object> map, String name, Object value) {
        var copy = new LinkedHashMap<>(map);
        copy.put(name, value);
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> map, String name) {
        var copy = new LinkedHashMap<>(map);
        copy.remove(name);
        return copy;
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
