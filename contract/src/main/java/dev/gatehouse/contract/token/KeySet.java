package dev.gatehouse.contract.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verification keys of one fetched JWK Set, parsed once: each with its ready {@link JWSVerifier} and the
 * algorithms it may verify (its type and curve, its {@code alg} if the JWK names one, and the verifier's allowed
 * algorithms). Keys that cannot verify any allowed algorithm, that are for encryption or that are too weak are left
 * out. Immutable; replaced as a whole on refresh.
 */
final class KeySet {
    /** RSA moduli shorter than this are ignored (RFC 7518 §3.3 requires 2048 bits). */
    static final int MIN_RSA_BITS = 2048;

    /** No keys: before the first successful fetch, and when the last good set grew too old. */
    static final KeySet NONE = new KeySet(Map.of(), List.of(), Long.MIN_VALUE, Long.MIN_VALUE);

    private final Map<String, List<Key>> byKid;
    private final List<Key> all;
    /** When a fresh fetch is due (clock millis). */
    final long refreshAt;
    /** From when on these keys must no longer be used (clock millis). */
    final long staleAt;

    record Key(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {
    }

    private KeySet(Map<String, List<Key>> byKid, List<Key> all, long refreshAt, long staleAt) {
        this.byKid = byKid;
        this.all = all;
        this.refreshAt = refreshAt;
        this.staleAt = staleAt;
    }

    static KeySet of(JWKSet jwks, Set<JWSAlgorithm> allowed, long loadedAt, long ttlMillis, long maxStaleMillis) {
        var all = new ArrayList<Key>();
        var byKid = new HashMap<String, List<Key>>();
        for (JWK jwk : jwks.getKeys()) {
            Key key = keyOf(jwk, allowed);
            if (key != null) {
                all.add(key);
                if (key.kid() != null) {
                    byKid.computeIfAbsent(key.kid(), k -> new ArrayList<>(1)).add(key);
                }
            }
        }
        byKid.replaceAll((kid, keys) -> List.copyOf(keys));
        return new KeySet(Map.copyOf(byKid), List.copyOf(all), saturatedAdd(loadedAt, ttlMillis),
                saturatedAdd(loadedAt, maxStaleMillis));
    }

    /** The keys named {@code kid}; null when there is none. */
    List<Key> withKid(String kid) {
        return byKid.get(kid);
    }

    /** Every usable key, with or without a kid. */
    List<Key> all() {
        return all;
    }

    private static Key keyOf(JWK jwk, Set<JWSAlgorithm> allowed) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return null;
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return null;
        }
        if (jwk.getKeyRevocation() != null) {
            return null;
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>(algorithmsOf(jwk));
        algorithms.retainAll(allowed);
        if (jwk.getAlgorithm() != null) {
            algorithms.removeIf(alg -> !alg.getName().equals(jwk.getAlgorithm().getName()));
        }
        if (algorithms.isEmpty()) {
            return null;
        }
        try {
            JWSVerifier verifier = switch (jwk) {
                case RSAKey rsa -> {
                    RSAPublicKey publicKey = rsa.toRSAPublicKey();
                    yield publicKey.getModulus().bitLength() >= MIN_RSA_BITS ? new RSASSAVerifier(publicKey) : null;
                }
                case ECKey ec -> new ECDSAVerifier(ec.toECPublicKey());
                default -> null;
            };
            return verifier == null ? null : new Key(jwk.getKeyID(), Set.copyOf(algorithms), verifier);
        } catch (JOSEException e) {
            return null;
        }
    }

    private static Set<JWSAlgorithm> algorithmsOf(JWK jwk) {
        if (jwk instanceof RSAKey) {
            return Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
                    JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
        }
        if (jwk instanceof ECKey ec) {
            Curve curve = ec.getCurve();
            if (Curve.P_256.equals(curve)) {
                return Set.of(JWSAlgorithm.ES256);
            }
            if (Curve.P_384.equals(curve)) {
                return Set.of(JWSAlgorithm.ES384);
            }
            if (Curve.P_521.equals(curve)) {
                return Set.of(JWSAlgorithm.ES512);
            }
        }
        return Set.of();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
