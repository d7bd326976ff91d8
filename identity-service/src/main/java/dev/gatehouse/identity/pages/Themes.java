package dev.gatehouse.identity.pages;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * Finds the theme of an organization, by id or slug. First the per-organization theme of the configuration
 * ({@code gatehouse.identity.pages.themes.<id-or-slug>.*}), else the branding tenant-service publishes for it
 * ({@code logoUrl}, {@code primaryColor}, {@code accentColor} of {@code OrganizationUpdated}, kept by
 * {@link ThemeStore}), else the default theme. Missing fields of an organization fall back to the defaults.
 */
@Singleton
public class Themes {
    private final PagesConfig config;
    private final List<ConfiguredTheme> configured;
    private final ThemeStore store;

    public Themes(PagesConfig config, List<ConfiguredTheme> configured, @Nullable ThemeStore store) {
        this.config = config;
        this.configured = configured;
        this.store = store;
    }

    public Theme defaultTheme() {
        return new Theme(Theme.DEFAULT_KEY, config.productName(), config.defaultLogoUrl(),
                config.defaultPrimaryColor().toLowerCase(java.util.Locale.ROOT),
                config.defaultAccentColor().toLowerCase(java.util.Locale.ROOT));
    }

    /** The theme of an organization (id or slug); the default one for null or unknown. */
    public Theme resolve(@Nullable String organization) {
        if (organization == null || organization.isBlank() || !Theme.KEY.matcher(organization).matches()) {
            return defaultTheme();
        }
        Optional<ThemeStore.Branding> branding = store == null ? Optional.empty() : store.find(organization);
        Optional<ConfiguredTheme> own = configured.stream()
                .filter(c -> c.name.equals(organization)
                        || branding.map(b -> c.name.equals(b.organizationId()) || c.name.equals(b.slug())).orElse(false))
                .findFirst();
        if (own.isEmpty() && branding.isEmpty()) {
            return defaultTheme();
        }
        Theme fallback = defaultTheme();
        String key = branding.map(ThemeStore.Branding::organizationId).orElseGet(() -> own.get().name);
        String name = own.map(c -> c.displayName).filter(n -> n != null && !n.isBlank())
                .orElse(branding.map(ThemeStore.Branding::displayName).orElse(fallback.name()));
        String logo = own.map(c -> c.logoUrl).filter(l -> l != null && Theme.safeLogo(l))
                .orElse(branding.map(ThemeStore.Branding::logoUrl).orElse(null));
        String primary = Theme.color(own.map(c -> c.primaryColor).orElse(null),
                Theme.color(branding.map(ThemeStore.Branding::primaryColor).orElse(null), fallback.primaryColor()));
        String accent = Theme.color(own.map(c -> c.accentColor).orElse(null),
                Theme.color(branding.map(ThemeStore.Branding::accentColor).orElse(null), fallback.accentColor()));
        return new Theme(Theme.KEY.matcher(key).matches() ? key : Theme.DEFAULT_KEY, name, logo, primary, accent);
    }

    /**
     * A theme from the configuration, {@code gatehouse.identity.pages.themes.<organization id or slug>}: for
     * deployments that do not keep branding in tenant-service, or to override it.
     */
    @EachProperty(PagesConfig.PREFIX + ".themes")
    public static class ConfiguredTheme {
        final String name;
        /** Shown next to the logo. */
        String displayName;
        /** https URL or a path on this host. */
        String logoUrl;
        /** {@code #rrggbb}. */
        String primaryColor;
        /** {@code #rrggbb}. */
        String accentColor;

        public ConfiguredTheme(@Parameter String name) {
            this.name = name;
        }

        public void setDisplayName(String displayName) {
            this.displayName = displayName;
        }

        public void setLogoUrl(String logoUrl) {
            if (!Theme.safeLogo(logoUrl)) {
                throw new IllegalArgumentException(PagesConfig.PREFIX + ".themes." + name
                        + ".logo-url: must be an https URL or a path");
            }
            this.logoUrl = logoUrl;
        }

        public void setPrimaryColor(String primaryColor) {
            this.primaryColor = checked("primary-color", primaryColor);
        }

        public void setAccentColor(String accentColor) {
            this.accentColor = checked("accent-color", accentColor);
        }

        private String checked(String key, String color) {
            if (!Theme.COLOR.matcher(color).matches()) {
                throw new IllegalArgumentException(PagesConfig.PREFIX + ".themes." + name + "." + key
                        + ": must be #rrggbb");
            }
            return color;
        }
    }
}
