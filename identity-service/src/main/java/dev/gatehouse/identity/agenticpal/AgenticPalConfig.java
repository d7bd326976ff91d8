package dev.gatehouse.identity.agenticpal;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Seed 003 (AgenticPal: Google sign-in that keeps the user's Google tokens), under
 * {@code gatehouse.identity.agenticpal}. The endpoints exist only when {@code enabled}.
 *
 * @param provider              the upstream provider (of {@code gatehouse.identity.upstream.providers}) to use
 * @param redirectUri           this service's public {@code /auth/google/callback} URL, registered at Google
 *                              (the seed's {@code GOOGLE_REDIRECT_URI})
 * @param frontendUrl           where the browser goes after sign-in without {@code frontend_redirect}
 *                              (the seed's {@code FRONTEND_URL})
 * @param allowedRedirectOrigins origins {@code frontend_redirect} may point to, besides {@code frontendUrl}'s
 * @param scopes                Google scopes requested (the seed's five by default), with consent forced
 * @param sessionTtl            sliding session lifetime (the seed's {@code SESSION_TTL_SECONDS})
 * @param stateTtl              lifetime of an OAuth state (the seed's {@code OAUTH_STATE_TTL_SECONDS})
 * @param cookieName            the session cookie
 * @param cookieSecure          its Secure attribute (off only for plain-http development)
 * @param cookieDomain          its Domain attribute (the seed's {@code COOKIE_DOMAIN}); host-only when unset
 */
@ConfigurationProperties("gatehouse.identity.agenticpal")
public record AgenticPalConfig(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "google") @NotBlank String provider,
        @Nullable URI redirectUri,
        @Bindable(defaultValue = "http://localhost:3000") @NotNull URI frontendUrl,
        @Nullable List<String> allowedRedirectOrigins,
        @Bindable(defaultValue = DEFAULT_SCOPES) @NotEmpty List<String> scopes,
        @Bindable(defaultValue = "7d") @NotNull Duration sessionTtl,
        @Bindable(defaultValue = "10m") @NotNull Duration stateTtl,
        @Bindable(defaultValue = "session_id") @NotBlank String cookieName,
        @Bindable(defaultValue = "true") boolean cookieSecure,
        @Nullable String cookieDomain) {
    public static final String DEFAULT_SCOPES = "openid,https://www.googleapis.com/auth/userinfo.email,"
            + "https://www.googleapis.com/auth/calendar,https://mail.google.com/,https://www.googleapis.com/auth/tasks";
}
