package dev.gatehouse.identity.apps;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a browser may be sent after sign-in: an absolute {@code http(s)} URL whose origin (scheme, host, port) is
 * exactly one of the allowed origins. Anything else is refused rather than "fixed": protocol-relative
 * ({@code //evil}), other schemes ({@code javascript:}), user info ({@code https://app@evil}), backslashes and
 * control characters (browsers read {@code https:\\evil} as a host), look-alike hosts ({@code app.example.com.evil}),
 * fragments.
 */
public final class RedirectAllowlist {
    private final List<String> origins;

    /** @param allowed origins or URLs (only their origin counts), e.g. {@code http://localhost:3000} */
    public RedirectAllowlist(List<String> allowed) {
        this.origins = allowed.stream().map(value -> origin(value)
                .orElseThrow(() -> new IllegalArgumentException("not an http(s) origin: " + value))).toList();
    }

    /** The URL when it is allowed, else empty. */
    public Optional<URI> check(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 2048) {
            return Optional.empty();
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\' || c > 0x7e) {
                return Optional.empty();
            }
        }
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getRawFragment() != null) {
            return Optional.empty();
        }
        return origin(uri).filter(origins::contains).map(ignored -> uri);
    }

    static Optional<String> origin(String value) {
        try {
            return origin(new URI(value));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> origin(URI uri) {
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getScheme() == null || uri.getRawUserInfo() != null
                || uri.getHost() == null || uri.getRawAuthority() == null || uri.getRawAuthority().contains("@")) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.empty();
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    }
}
