package dev.gatehouse.tenant.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Stands in for session-service in tests: an RSA key whose JWKS is served over real HTTP (com.sun.net.httpserver)
 * and access tokens signed with it, so tenant-service verifies them exactly as in production.
 */
public final class TestIssuer {
    public static final String ISSUER = "https://gatehouse.test";
    private static TestIssuer instance;
    private final RSAKey key;
    private final HttpServer server;

    private TestIssuer() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.setExecutor(null);
        server.start();
    }

    public static synchronized TestIssuer get() {
        if (instance == null) {
            instance = new TestIssuer();
        }
        return instance;
    }

    /** The properties that point tenant-service's token verification at this issuer. */
    public Map<String, String> properties() {
        return Map.of("gatehouse.tenant.auth.issuer", ISSUER,
                "gatehouse.tenant.auth.jwks-uri", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    /** A signed-in user's token (it has a session). */
    public String user(String userId) {
        return token(c -> c.subject(userId).claim("sid", "ses_" + UUID.randomUUID()).claim("client_id", "app"));
    }

    /** A signed-in user's token that carries a verified email (scope email). */
    public String userWithEmail(String userId, String email) {
        return token(c -> c.subject(userId).claim("sid", "ses_" + UUID.randomUUID()).claim("client_id", "app")
                .claim("email", email).claim("email_verified", true));
    }

    /** A platform admin's user token. */
    public String platformAdmin() {
        return token(c -> c.subject("usr_platform_admin").claim("sid", "ses_" + UUID.randomUUID())
                .claim("platform_admin", true));
    }

    /** A client_credentials token of a Gatehouse service (scope gatehouse:internal). */
    public String service() {
        return token(c -> c.subject("identity-service").claim("client_id", "identity-service")
                .claim("scope", "gatehouse:internal"));
    }

    public String token(Consumer<JWTClaimsSet.Builder> claims) {
        Instant now = Instant.now();
        var builder = new JWTClaimsSet.Builder().issuer(ISSUER).audience("gatehouse")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10)))).jwtID(UUID.randomUUID().toString());
        claims.accept(builder);
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), builder.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
