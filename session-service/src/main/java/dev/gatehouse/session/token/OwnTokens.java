package dev.gatehouse.session.token;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTParser;
import dev.gatehouse.contract.token.Claims;
import dev.gatehouse.contract.token.JwksSource;
import dev.gatehouse.contract.token.TokenInvalid;
import dev.gatehouse.contract.token.TokenVerifier;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.keys.SigningKeys;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies access tokens this server minted, with contract's {@link TokenVerifier} over the in-process key set (no
 * HTTP to ourselves). One verifier per audience, created on first use.
 */
@Singleton
public class OwnTokens {
    private static final int MAX_AUDIENCES = 1000;
    private final ServerConfig config;
    private final JwksSource keys;
    private final Clock clock;
    private final ConcurrentHashMap<String, TokenVerifier> byAudience = new ConcurrentHashMap<>();

    public OwnTokens(ServerConfig config, SigningKeys signingKeys, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.keys = () -> {
            try {
                return JWKSet.parse(signingKeys.jwks().json());
            } catch (ParseException e) {
                throw new java.io.IOException("own key set unreadable", e);
            }
        };
    }

    /** An access token of ours whose {@code aud} contains {@code audience}. */
    public Verification verify(String token, String audience) {
        TokenVerifier verifier = byAudience.get(audience);
        if (verifier == null) {
            if (byAudience.size() >= MAX_AUDIENCES) {
                byAudience.clear();
            }
            verifier = byAudience.computeIfAbsent(audience, this::verifierFor);
        }
        return verifier.verify(token);
    }

    /** An access token for Gatehouse's own APIs (admin and internal). */
    public Verification verifyForApi(String token) {
        return verify(token, config.apiAudience());
    }

    /**
     * An access token of ours, whatever its audience (userinfo is served to every client of this server). The
     * audience is read from the token before verification only to pick the verifier; everything else is checked.
     */
    public Verification verifyAnyAudience(String token) {
        if (token == null || token.length() > TokenVerifier.MAX_TOKEN_LENGTH) {
            return new TokenInvalid("malformed token");
        }
        List<String> audience;
        try {
            audience = JWTParser.parse(token).getJWTClaimsSet().getAudience();
        } catch (ParseException | RuntimeException e) {
            return new TokenInvalid("malformed token");
        }
        if (audience == null || audience.isEmpty()) {
            return new TokenInvalid("missing " + Claims.AUDIENCE);
        }
        return verify(token, audience.get(0));
    }

    private TokenVerifier verifierFor(String audience) {
        return TokenVerifier.builder()
                .issuer(config.issuer().toString())
                .audience(audience)
                .jwkSource(keys)
                .algorithms("RS256", "ES256")
                .minRefetchInterval(Duration.ofSeconds(1))
                .cacheTtl(Duration.ofSeconds(30))
                .clock(clock)
                .build();
    }
}
