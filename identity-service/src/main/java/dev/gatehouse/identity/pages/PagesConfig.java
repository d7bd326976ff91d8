package dev.gatehouse.identity.pages;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.util.List;

/**
 * The hosted pages, under {@code gatehouse.identity.pages}.
 *
 * @param productName        shown in titles and on pages without an organization theme
 * @param csrfKey            base64 of at least 32 random bytes: the HMAC key of CSRF tokens, the same on every
 *                           replica; unset: derived from {@code gatehouse.identity.hash-key}
 * @param secureCookies      the {@code Secure} flag of the pages' cookies; unset: on, except in the dev and test
 *                           environments (plain http on 127.0.0.1)
 * @param loginSessionTtl    how long a sign-in on the hosted pages is remembered in this browser (the device page
 *                           and later authorization requests use it)
 * @param firstPartyClients  client ids that skip the consent page (your own apps); every other client asks once per
 *                           user and set of scopes
 * @param defaultLogoUrl     logo on pages without an organization theme (https or a path on this host), or none
 * @param defaultPrimaryColor {@code #rrggbb}
 * @param defaultAccentColor  {@code #rrggbb}
 */
@ConfigurationProperties(PagesConfig.PREFIX)
public record PagesConfig(
        @Bindable(defaultValue = DEFAULT_PRODUCT_NAME) @NotBlank @Size(max = 80) String productName,
        @Nullable String csrfKey,
        @Nullable Boolean secureCookies,
        @Bindable(defaultValue = "8h") Duration loginSessionTtl,
        @Nullable List<String> firstPartyClients,
        @Nullable String defaultLogoUrl,
        @Bindable(defaultValue = DEFAULT_PRIMARY) String defaultPrimaryColor,
        @Bindable(defaultValue = DEFAULT_ACCENT) String defaultAccentColor) {
    public static final String PREFIX = "gatehouse.identity.pages";
    public static final String DEFAULT_PRODUCT_NAME = "Gatehouse";
    public static final String DEFAULT_PRIMARY = "#1f4fd1";
    public static final String DEFAULT_ACCENT = "#0f766e";

    public PagesConfig {
        firstPartyClients = firstPartyClients == null ? List.of() : List.copyOf(firstPartyClients);
        if (!Theme.COLOR.matcher(defaultPrimaryColor).matches()) {
            throw new IllegalArgumentException(PREFIX + ".default-primary-color: must be #rrggbb");
        }
        if (!Theme.COLOR.matcher(defaultAccentColor).matches()) {
            throw new IllegalArgumentException(PREFIX + ".default-accent-color: must be #rrggbb");
        }
        if (defaultLogoUrl != null && !Theme.safeLogo(defaultLogoUrl)) {
            throw new IllegalArgumentException(PREFIX + ".default-logo-url: must be an https URL or a path");
        }
    }
}
