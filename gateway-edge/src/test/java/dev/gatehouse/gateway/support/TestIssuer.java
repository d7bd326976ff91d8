package dev.gatehouse.gateway.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An issuer with its own RSA key, serving its JWKS over real HTTP, minting access tokens for tests. */
public final class TestIssuer implements AutoCloseable {
    private final String issuer;
    private final RSAKey key;
    private final HttpServer server;

    public TestIssuer(String issuer) {
        this.issuer = issuer;
        try {
            this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/jwks.json", exchange -> {
            byte[] body = new JWKSet(key).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String issuer() {
        return issuer;
    }

    public URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    public RSAKey key() {
        return key;
    }

    /** Claims of a valid user access token: five minutes left. */
    public Map<String, Object> claims(String audience, String user, String org, String sid, List<String> permissions) {
        var claims = new LinkedHashMap<String, Object>();
        long now = Instant.now().getEpochSecond();
        claims.put("iss", issuer);
        claims.put("sub", user);
        claims.put("aud", audience);
        claims.put("exp", now + 300);
        claims.put("iat", now - 5);
        claims.put("jti", "at_" + UUID.randomUUID());
        claims.put("client_id", "web");
        claims.put("scope", "openid");
        if (org != null) {
            claims.put("org_id", org);
        }
        if (sid != null) {
            claims.put("sid", sid);
        }
        claims.put("permissions", permissions);
        return claims;
    }

    public String sign(Map<String, Object> claims) {
        return sign(key, claims);
    }

    /** {@code claims} signed by {@code with} (not necessarily this issuer's key) under this issuer's kid. */
    public String sign(RSAKey with, Map<String, Object> claims) {
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), JWTClaimsSet.parse(claims));
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}). */
    public String unsigned(Map<String, Object> claims) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + key.getKeyID() + "\"}")
                .toString();
        try {
            return header + "." + Base64URL.encode(JWTClaimsSet.parse(claims).toString()) + ".";
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey otherKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("other").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
