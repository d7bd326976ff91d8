package dev.gatehouse.session.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Redirect URI rules. Registration accepts https URLs, http only on loopback (RFC 8252 §7.3), and private-use
 * custom schemes for desktop and mobile deep links (RFC 8252 §7.1); never fragments, userinfo or dangerous
 * schemes. Matching is exact string comparison, with one exception from RFC 8252 §7.3: a registered loopback
 * http URI matches any port, because native apps bind an ephemeral one.
 */
public final class RedirectUris {
    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "blob",
            "about", "ftp", "ws", "wss");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");
    private static final int MAX_LENGTH = 2000;

    private RedirectUris() {
    }

    /** Why {@code uri} cannot be registered, or empty when it can. */
    public static Optional<String> registrationProblem(String uri) {
        if (uri == null || uri.isBlank() || uri.length() > MAX_LENGTH) {
            return Optional.of("must be 1 to " + MAX_LENGTH + " characters");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URI");
        }
        if (!parsed.isAbsolute()) {
            return Optional.of("must be absolute");
        }
        if (parsed.getRawFragment() != null || uri.contains("#")) {
            return Optional.of("must not have a fragment");
        }
        if (parsed.getRawUserInfo() != null) {
            return Optional.of("must not have user info");
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(parsed.getScheme())) {
            return Optional.of("scheme must be lower case");
        }
        if (FORBIDDEN_SCHEMES.contains(scheme)) {
            return Optional.of("scheme " + scheme + " is not allowed");
        }
        if (scheme.equals("https")) {
            return parsed.getHost() == null ? Optional.of("must have a host") : Optional.empty();
        }
        if (scheme.equals("http")) {
            return isLoopback(parsed) ? Optional.empty()
                    : Optional.of("http is only allowed for loopback addresses (127.0.0.1, [::1], localhost)");
        }
        // private-use scheme (com.example.app:/callback, gaia://auth/callback)
        return Optional.empty();
    }

    /** Whether {@code requested} matches one of {@code registered} (exactly, or loopback on any port). */
    public static boolean matches(List<String> registered, String requested) {
        if (requested == null) {
            return false;
        }
        for (String candidate : registered) {
            if (candidate.equals(requested) || loopbackMatch(candidate, requested)) {
                return true;
            }
        }
        return false;
    }

    private static boolean loopbackMatch(String registered, String requested) {
        if (!registered.startsWith("http://") || !requested.startsWith("http://")) {
            return false;
        }
        try {
            URI a = new URI(registered);
            URI b = new URI(requested);
            return isLoopback(a) && isLoopback(b)
                    && a.getHost().equals(b.getHost())
                    && b.getRawUserInfo() == null && b.getRawFragment() == null
                    && java.util.Objects.equals(a.getRawPath(), b.getRawPath())
                    && java.util.Objects.equals(a.getRawQuery(), b.getRawQuery());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isLoopback(URI uri) {
        return "http".equals(uri.getScheme()) && uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost());
    }
}
