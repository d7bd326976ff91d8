package dev.gatehouse.gateway.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.gateway.auth.GatewayPrincipal;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Mints the internal JWT of {@link IdentityHeaders#TOKEN} and publishes its public key. */
@Singleton
public class InternalTokens {
    private static final int MAX_CACHED = 10_000;
    private final InternalTokenConfig config;
    private final Clock clock;
    private final ECKey key;
    private final ECDSASigner signer;
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();

    private record Minted(String token, Instant reuseUntil) {
    }

    public InternalTokens(InternalTokenConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        try {
            if (config.key() != null && !config.key().isBlank()) {
                JWK parsed = JWK.parse(config.key());
                if (!(parsed instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate()) {
                    throw new ConfigurationException("gatehouse.gateway.internal-token.key: must be a private EC P-256 JWK");
                }
                this.key = ec.getKeyID() == null ? new ECKey.Builder(ec).keyIDFromThumbprint().build() : ec;
            } else {
                this.key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                        .keyIDFromThumbprint(true).generate();
            }
            this.signer = new ECDSASigner(key);
        } catch (ParseException | JOSEException e) {
            throw new ConfigurationException("gatehouse.gateway.internal-token.key: not a usable JWK", e);
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The public key set upstreams verify with. */
    public JWKSet jwks() {
        return new JWKSet(key.toPublicJWK());
    }

    /** A token for {@code principal}, for the upstream {@code audience}; reused for half its lifetime. */
    public String mint(GatewayPrincipal principal, String audience) {
        Instant now = clock.instant();
        String cacheKey = principal.kind() + "|" + principal.subject() + "|" + principal.organizationId() + "|"
                + principal.sessionId() + "|" + principal.permissions().hashCode() + "|" + audience;
        Minted cached = cache.get(cacheKey);
        if (cached != null && now.isBefore(cached.reuseUntil())) {
            return cached.token();
        }
        Instant exp = now.plus(config.ttl());
        if (principal.expiresAt() != null && principal.expiresAt().isBefore(exp)) {
            exp = principal.expiresAt();
        }
        var claims = new JWTClaimsSet.Builder().issuer(config.issuer()).subject(principal.subject())
                .audience(audience).issueTime(Date.from(now)).expirationTime(Date.from(exp))
                .jwtID(UUID.randomUUID().toString())
                .claim("principal_type", principal.kind().name().toLowerCase(java.util.Locale.ROOT))
                .claim("org_id", principal.organizationId()).claim("sid", principal.sessionId())
                .claim("permissions", new ArrayList<>(principal.permissions()))
                .claim("platform_admin", principal.platformAdmin() ? Boolean.TRUE : null).build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType("JWT")).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the internal token failed", e);
        }
        String token = jwt.serialize();
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        cache.put(cacheKey, new Minted(token, now.plus(config.ttl().dividedBy(2))));
        return token;
    }
}
