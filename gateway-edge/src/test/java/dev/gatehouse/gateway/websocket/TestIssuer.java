package dev.gatehouse.gateway.websocket;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.contract.token.SessionCookie;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Stands in for session-service's signing side: an RSA key whose JWKS a real HTTP server publishes, access tokens
 * signed with it, and session cookies sealed under a cookie key, exactly as session-service issues them.
 */
final class TestIssuer implements AutoCloseable {
    static final String AUDIENCE = "gatehouse";

    private final RSAKey key;
    private final RSAKey stranger;
    private final HttpServer server;
    private final byte[] cookieKey = new byte[32];
    private final SessionCookie.Sealer sealer;

    TestIssuer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        stranger = new RSAKeyGenerator(2048).keyID("test-key").generate();
        new SecureRandom().nextBytes(cookieKey);
        sealer = new SessionCookie.Sealer(cookieKey);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String jwksUri() {
        return issuer() + "/.well-known/jwks.json";
    }

    String cookieKey() {
        return Base64.getEncoder().encodeToString(cookieKey);
    }

    /** An access token of {@code subject} in session {@code sid}, holding {@code permissions}, valid for {@code ttl}. */
    String token(String subject, String sid, List<String> permissions, Duration ttl) {
        return sign(key, subject, sid, permissions, Instant.now().plus(ttl));
    }

    /** The same token shape signed by a key the JWKS does not publish (same kid). */
    String forged(String subject, String sid) {
        return sign(stranger, subject, sid, List.of("chat.use"), Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** The browser-session cookie's value for a session whose current access token is {@code token}. */
    String cookie(String sid, String token) {
        return sealer.seal(new SessionCookie(sid, "handle-" + sid + "-0123456789abcdef0123456789abcdef", token));
    }

    private String sign(RSAKey signingKey, String subject, String sid, List<String> permissions, Instant exp) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(issuer())
                    .audience(AUDIENCE)
                    .subject(subject)
                    .claim("sid", sid)
                    .claim("org_id", "org_chat")
                    .claim("permissions", permissions)
                    .issueTime(Date.from(exp.isBefore(Instant.now()) ? exp.minusSeconds(600) : Instant.now().minusSeconds(5)))
                    .expirationTime(Date.from(exp))
                    .jwtID("jti-" + subject + "-" + System.nanoTime())
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
    }
}
