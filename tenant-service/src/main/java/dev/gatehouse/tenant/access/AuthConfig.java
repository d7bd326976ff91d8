package dev.gatehouse.tenant.access;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.net.URI;

/**
 * How tenant-service verifies the access tokens its callers present, under {@code gatehouse.tenant.auth}: tokens
 * minted by session-service, checked with contract's {@code TokenVerifier} against session-service's JWKS.
 *
 * @param issuer   session-service's issuer ({@code gatehouse.session.issuer}), compared exactly
 * @param audience the audience of Gatehouse's own APIs (session-service's {@code api-audience})
 * @param jwksUri  session-service's JWKS, e.g. {@code http://session-service:8082/.well-known/jwks.json}
 */
@ConfigurationProperties("gatehouse.tenant.auth")
public record AuthConfig(
        @NotBlank String issuer,
        @Bindable(defaultValue = DEFAULT_AUDIENCE) @NotBlank String audience,
        @NotNull URI jwksUri) {
    public static final String DEFAULT_AUDIENCE = "gatehouse";
}
