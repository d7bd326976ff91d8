package dev.gatehouse.identity.upstream;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.time.Duration;

/**
 * Settings shared by every upstream provider ({@code gatehouse.identity.upstream.*}).
 *
 * @param stateTtl          how long a started sign-in may take at the provider (state, nonce, PKCE verifier)
 * @param bindingCookie     the HttpOnly cookie binding a started sign-in to the browser that started it
 * @param defaultSignInMethod what discovery answers for addresses without SSO: {@code magicAuth} or {@code password}
 *                          (the same for known and unknown addresses)
 * @param redirectUri       the default redirect URI of every provider that names none
 * @param httpTimeout       connect and read timeout towards a provider
 * @param discoveryRetry    how long a failed discovery document is remembered before being fetched again
 */
@ConfigurationProperties("gatehouse.identity.upstream")
public record UpstreamConfig(@Bindable(defaultValue = "10m") Duration stateTtl,
                             @Bindable(defaultValue = "gh_oauth_binding") String bindingCookie,
                             @Bindable(defaultValue = "magicAuth") @Pattern(regexp = "magicAuth|password") String defaultSignInMethod,
                             @Nullable URI redirectUri,
                             @Bindable(defaultValue = "5s") Duration httpTimeout,
                             @Bindable(defaultValue = "30s") Duration discoveryRetry) {
}
