package dev.gatehouse.gateway.auth;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;

/**
 * An external issuer whose access tokens the gateway accepts as bearer tokens, under
 * {@code gatehouse.gateway.auth.trusted-issuers.<name>} (e.g. a WorkOS tenant, seed 002).
 *
 * @param name       the key under {@code trusted-issuers}
 * @param issuer     its {@code iss}, compared exactly
 * @param jwksUri    its JWKS
 * @param audience   the audience its tokens must carry
 * @param provision  on the first sight of an unknown {@code org_id}, have tenant-service provision the tenant
 * @param algorithms accepted signature algorithms (default RS256)
 */
@EachProperty("gatehouse.gateway.auth.trusted-issuers")
public record TrustedIssuerConfig(@Parameter String name,
                                  String issuer,
                                  URI jwksUri,
                                  String audience,
                                  @Bindable(defaultValue = "true") boolean provision,
                                  @Nullable java.util.List<String> algorithms) {
}
