package dev.gatehouse.tenant.access;

import dev.gatehouse.contract.token.TokenVerifier;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

@Factory
class VerifierFactory {
    @Singleton
    TokenVerifier tokenVerifier(AuthConfig config, Clock clock) {
        return TokenVerifier.builder()
                .issuer(config.issuer())
                .audience(config.audience())
                .jwksUri(config.jwksUri())
                .algorithms("RS256", "ES256")
                .clock(clock)
                .build();
    }
}
