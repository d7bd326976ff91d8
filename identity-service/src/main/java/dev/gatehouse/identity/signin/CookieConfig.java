package dev.gatehouse.identity.signin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * The browser-session cookie (seed 004: HttpOnly {@code access_token}, SameSite=Lax), under
 * {@code gatehouse.identity.cookie}. Its value is session-service's sealed cookie, which gateway-edge opens and
 * refreshes transparently.
 *
 * @param name   cookie name
 * @param secure the Secure attribute: true everywhere but {@code ./gatehouse dev} on plain http
 * @param domain the Domain attribute, or null for host-only
 * @param path   the Path attribute
 * @param maxAge how long the browser keeps it
 */
@ConfigurationProperties("gatehouse.identity.cookie")
public record CookieConfig(
        @Bindable(defaultValue = "access_token") @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}") String name,
        @Bindable(defaultValue = "true") boolean secure,
        @Nullable String domain,
        @Bindable(defaultValue = "/") @NotNull String path,
        @Bindable(defaultValue = "P7D") @NotNull Duration maxAge) {
}
