package dev.gatehouse.contract.token;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.util.JSONObjectUtils;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sealed value of a browser-session cookie: a compact JWE ({@code dir}, {@code A256GCM}) that only
 * session-service and gateway-edge can open, holding the session id, the session's handle (a 256-bit secret that
 * session-service stores only hashed) and the current access token. The browser sees an opaque string; the gateway
 * opens it to verify the access token locally and, once that has expired, asks session-service for a fresh cookie
 * with the handle (transparent refresh). Kept under 4 KB ({@link #MAX_LENGTH}): when the access token is too large
 * to fit (long profile claims, many permissions), the cookie carries only the session id and handle, and the gateway
 * gets the access token from session-service's refresh (and keeps it until it expires).
 *
 * @param sessionId   the {@code sid}
 * @param handle      proof of the session, checked by session-service in constant time
 * @param accessToken the current access token (a JWT), or null when it did not fit
 */
public record SessionCookie(String sessionId, String handle, String accessToken) {
    /** Browsers keep cookies up to 4096 bytes including the name; leave room for a name and attributes. */
    public static final int MAX_LENGTH = 3800;
    private static final int VERSION = 1;

    public SessionCookie {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(handle, "handle");
    }

    /** The access token inside, when it fitted. */
    public Optional<String> token() {
        return Optional.ofNullable(accessToken);
    }

    /** Seals and opens cookies under a 256-bit key (shared by session-service and gateway-edge). */
    public static final class Sealer {
        private final SecretKey key;
        private final String keyId;

        /**
         * @param key exactly 32 bytes; the JWE header names it by a fingerprint (the first 8 bytes of its SHA-256,
         *            in hex), so that a cookie sealed under another key is told apart without trying it
         */
        public Sealer(byte[] key) {
            if (key == null || key.length != 32) {
                throw new IllegalArgumentException("the cookie key must be 32 bytes");
            }
            this.key = new SecretKeySpec(key.clone(), "AES");
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key);
                this.keyId = java.util.HexFormat.of().formatHex(digest, 0, 8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Seals the cookie; without its access token when the whole would exceed {@link #MAX_LENGTH}. */
        public String seal(SessionCookie cookie) {
            if (cookie.accessToken() != null) {
                String sealed = sealPayload(cookie, true);
                if (sealed.length() <= MAX_LENGTH) {
                    return sealed;
                }
            }
            return sealPayload(cookie, false);
        }

        private String sealPayload(SessionCookie cookie, boolean withToken) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("v", VERSION);
            payload.put("sid", cookie.sessionId());
            payload.put("h", cookie.handle());
            if (withToken) {
                payload.put("at", cookie.accessToken());
            }
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                    .keyID(keyId).build(), new Payload(payload));
            try {
                jwe.encrypt(new DirectEncrypter(key));
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot seal a session cookie", e);
            }
            return jwe.serialize();
        }

        /** The cookie inside {@code sealed}, or empty when it is not one of ours (tampered, other key, garbage). */
        public Optional<SessionCookie> open(String sealed) {
            if (sealed == null || sealed.isEmpty() || sealed.length() > MAX_LENGTH) {
                return Optional.empty();
            }
            try {
                JWEObject jwe = JWEObject.parse(sealed);
                JWEHeader header = jwe.getHeader();
                if (!JWEAlgorithm.DIR.equals(header.getAlgorithm())
                        || !EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())
                        || !keyId.equals(header.getKeyID()) || header.getCompressionAlgorithm() != null) {
                    return Optional.empty();
                }
                jwe.decrypt(new DirectDecrypter(key));
                Map<String, Object> payload = JSONObjectUtils.parse(jwe.getPayload().toString());
                if (!(payload.get("v") instanceof Number version) || version.intValue() != VERSION
                        || !(payload.get("sid") instanceof String sid) || !(payload.get("h") instanceof String handle)
                        || payload.get("at") != null && !(payload.get("at") instanceof String)) {
                    return Optional.empty();
                }
                return Optional.of(new SessionCookie(sid, handle, (String) payload.get("at")));
            } catch (ParseException | JOSEException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** Never prints the handle or the token. */
    @Override
    public String toString() {
        return "SessionCookie[sessionId=" + sessionId + "]";
    }
}
