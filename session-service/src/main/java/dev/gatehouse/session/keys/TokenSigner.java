package dev.gatehouse.session.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;

/**
 * Signs JWTs with the active key (RFC 7515 compact serialization): header {@code alg}, {@code kid} and {@code typ}.
 * The only signer in Gatehouse. No I/O per call: the decrypted signer of each key is held in memory by
 * {@link SigningKeys}, so signing costs one RSA or ECDSA operation.
 */
@Singleton
public class TokenSigner {
    private final SigningKeys keys;

    public TokenSigner(SigningKeys keys) {
        this.keys = keys;
    }

    /**
     * Signs {@code claims} as they are (the caller sets {@code iss}, {@code exp} etc.; no token may outlive
     * {@code gatehouse.session.keys.max-token-lifetime}).
     *
     * @param typ e.g. {@code new JOSEObjectType("at+jwt")} (RFC 9068) or {@link JOSEObjectType#JWT}
     * @throws SigningUnavailableException when no key can sign right now
     */
    public String sign(JWTClaimsSet claims, JOSEObjectType typ) {
        KeyRing.Loaded key = keys.activeKey();
        var header = new JWSHeader.Builder(key.row().algorithm().jws()).keyID(key.row().kid()).type(typ).build();
        var jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with key " + key.row().kid() + " failed", e);
        }
        return jwt.serialize();
    }

    /**
     * The kid the next token will carry.
     *
     * @throws SigningUnavailableException when no key can sign right now
     */
    public String activeKid() {
        return keys.activeKey().row().kid();
    }
}
