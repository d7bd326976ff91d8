package dev.gatehouse.identity.pages;

import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * How a page looks for one organization: its name, logo and two colours. Colours are {@code #rrggbb} only and logos
 * https URLs (or paths on this host), so neither can carry markup or CSS into a page.
 *
 * @param key          the organization id (or {@code default}): names its stylesheet {@code /login/theme/{key}.css}
 * @param name         shown next to the logo
 * @param logoUrl      or null
 * @param primaryColor buttons, links, focus ring
 * @param accentColor  the page's top band
 */
public record Theme(String key, String name, @Nullable String logoUrl, String primaryColor, String accentColor) {
    static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final String DEFAULT_KEY = "default";

    public Theme {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("theme key");
        }
        if (logoUrl != null && !safeLogo(logoUrl)) {
            logoUrl = null;
        }
    }

    /** A colour as it may go into CSS, or the fallback. */
    static String color(@Nullable String value, String fallback) {
        return value != null && COLOR.matcher(value).matches() ? value.toLowerCase(java.util.Locale.ROOT) : fallback;
    }

    static boolean safeLogo(String url) {
        if (url.startsWith("/") && !url.startsWith("//") && !url.contains("\\")) {
            return true;
        }
        try {
            URI uri = URI.create(url);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The stylesheet of this theme: CSS custom properties the static stylesheet uses. */
    String css() {
        return ":root{--gh-primary:" + primaryColor + ";--gh-accent:" + accentColor + ";}\n";
    }
}
