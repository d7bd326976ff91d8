package dev.gatehouse.identity.apps;

import dev.gatehouse.contract.token.TokenVerifier;
import dev.gatehouse.identity.vault.VaultConfig;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifiers of session-service's access tokens, one per audience, built on first use from
 * {@code gatehouse.identity.vault.issuer} and {@code jwks-uri} (default: the platform session URL's JWKS).
 */
@Singleton
public class PlatformVerifiers {
    private final VaultConfig config;
    private final Environment environment;
    private final Clock clock;
    private final Map<String, TokenVerifier> verifiers = new ConcurrentHashMap<>();

    public PlatformVerifiers(VaultConfig config, Environment environment, Clock clock) {
        this.config = config;
        this.environment = environment;
        this.clock = clock;
    }

    public TokenVerifier forAudience(String audience) {
        return verifiers.computeIfAbsent(audience, this::build);
    }

    private TokenVerifier build(String audience) {
        URI jwks = Optional.ofNullable(config.jwksUri()).or(() -> environment
                        .getProperty("gatehouse.identity.platform.session-url", String.class)
                        .map(url -> URI.create(url.replaceAll("/+$", "") + "/.well-known/jwks.json")))
                .orElseThrow(() -> new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                        "gatehouse.identity.vault.jwks-uri is not set"));
        if (config.issuer() == null || config.issuer().isBlank()) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "gatehouse.identity.vault.issuer is not set");
        }
        return TokenVerifier.builder().issuer(config.issuer()).audience(audience).jwksUri(jwks)
                .algorithms("RS256", "ES256").clock(clock).build();
    }
}
