package dev.gatehouse.identity.gaia;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Seed 000 (GAIA: web, desktop and mobile sign-in), under {@code gatehouse.identity.gaia}. The endpoints exist only
 * when {@code enabled}.
 *
 * @param provider            the upstream provider users sign in with
 * @param webCallbackUri      this service's public {@code /api/v1/oauth/workos/callback}, registered at the provider
 * @param desktopCallbackUri  ... {@code /api/v1/oauth/workos/desktop/callback}
 * @param mobileCallbackUri   ... {@code /api/v1/oauth/workos/mobile/callback}
 * @param frontendUrl         the web app; the browser lands on {@code <frontendUrl>/redirect} after sign-in
 * @param webClientId         session-service client of the web sessions (cookie delivery)
 * @param desktopClientId     public session-service client of the desktop app (PKCE), e.g. {@code gaia-desktop}
 * @param desktopRedirectUri  its registered deep link, e.g. {@code gaia://auth/callback}
 * @param mobileClientId      public client of the mobile app, e.g. {@code gaia-mobile}
 * @param mobileRedirectUri   its registered deep link, e.g. {@code gaiamobile://auth/callback}
 * @param appScopes           scopes the desktop and mobile apps' tokens get (offline_access: a refresh token)
 * @param cookieName          the web session cookie ({@code wos_session})
 * @param cookieSecure        its Secure attribute (off only for plain-http development)
 * @param cookieDomain        its Domain attribute; host-only when unset
 * @param cookieMaxAge        how long the browser keeps it
 * @param cookieKey           session-service's {@code gatehouse.session.cookie-key} (base64 of 32 bytes), to open the
 *                            sealed cookie; dev/test default to the published dev key
 * @param appAudience         the audience of the apps' bearer tokens accepted by {@code /api/v1/user/me}
 * @param stateTtl            lifetime of a sign-in's state
 */
@ConfigurationProperties("gatehouse.identity.gaia")
public record GaiaConfig(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "google") @NotBlank String provider,
        @Nullable URI webCallbackUri,
        @Nullable URI desktopCallbackUri,
        @Nullable URI mobileCallbackUri,
        @Bindable(defaultValue = "http://localhost:3000") @NotNull URI frontendUrl,
        @Bindable(defaultValue = "gaia-web") @NotBlank String webClientId,
        @Bindable(defaultValue = "gaia-desktop") @NotBlank String desktopClientId,
        @Bindable(defaultValue = "gaia://auth/callback") @NotBlank String desktopRedirectUri,
        @Bindable(defaultValue = "gaia-mobile") @NotBlank String mobileClientId,
        @Bindable(defaultValue = "gaiamobile://auth/callback") @NotBlank String mobileRedirectUri,
        @Bindable(defaultValue = "openid,profile,email,offline_access") @NotEmpty List<String> appScopes,
        @Bindable(defaultValue = "wos_session") @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}") String cookieName,
        @Bindable(defaultValue = "true") boolean cookieSecure,
        @Nullable String cookieDomain,
        @Bindable(defaultValue = "7d") @NotNull Duration cookieMaxAge,
        @Nullable String cookieKey,
        @Bindable(defaultValue = "https://gaia.localhost/api") @NotBlank String appAudience,
        @Bindable(defaultValue = "10m") @NotNull Duration stateTtl) {

    @Override
    public String toString() {
        return "GaiaConfig[enabled=" + enabled + ", provider=" + provider + ", cookieName=" + cookieName + "]";
    }
}
