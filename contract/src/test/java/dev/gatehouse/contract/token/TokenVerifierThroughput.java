package dev.gatehouse.contract.token;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rough single-thread measurement of {@link TokenVerifier#verify} on an RS256 (2048-bit) access token with warm
 * caches; not a test. Run it by hand after building the module:
 * {@code java -cp contract/target/classes:contract/target/test-classes:<deps> dev.gatehouse.contract.token.TokenVerifierThroughput [seconds]}.
 */
final class TokenVerifierThroughput {
    private TokenVerifierThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        long now = Instant.now().getEpochSecond();
        var claims = TestTokens.claims();
        claims.put("exp", now + 3600);
        claims.put("iat", now);
        claims.put("org_id", "org_01m835db0hb4dn16z20bj3tbja");
        claims.put("sid", "ses_01j9zq5w3m8r7x2c4v6b8n0p1q");
        claims.put("client_id", "cli_dashboard");
        claims.put("scope", "openid profile email");
        claims.put("permissions", List.of("audit_tail.read", "members.read", "members.write"));
        claims.put("email", "ada@example.com");
        String token = TestTokens.sign(key, TestTokens.header(), claims);
        TokenVerifier verifier = TestTokens.verifier(JwksSource.of(TestTokens.jwks(key))).clock(Clock.systemUTC())
                .build();
        if (!(verifier.verify(token) instanceof Principal)) {
            throw new IllegalStateException("the token does not verify: " + verifier.verify(token));
        }
        run("warm-up", verifier, token, 3);
        run("RS256 verify()", verifier, token, seconds);
        String other = TestTokens.sign(new RSAKeyGenerator(2048).keyID("k1").generate(), TestTokens.header(), claims);
        run("wrong key", verifier, other, 2);
        run("garbage", verifier, "not.a.token!", 2);
        System.out.println("token length " + token.length() + " characters; " + Map.of("java", Runtime.version()));
    }

    private static void run(String label, TokenVerifier verifier, String token, long seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long count = 0;
        long start = System.nanoTime();
        int sink = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 100; i++) {
                sink += verifier.verify(token) instanceof Principal ? 1 : 0;
            }
            count += 100;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-16s %,10.0f verifications/s  (%.1f µs each, %d total, %d principals)%n", label,
                count / elapsed, elapsed * 1e6 / count, count, sink);
    }
}
