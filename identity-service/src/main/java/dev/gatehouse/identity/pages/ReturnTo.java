package dev.gatehouse.identity.pages;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a page may send the browser after signing in when there is no login challenge: only back to a hosted page of
 * this host (today the device page). Anything else (absolute URLs, scheme-relative {@code //host}, backslashes,
 * encoded tricks, other paths) is dropped, so a crafted link cannot turn the sign-in page into an open redirect. The
 * redirect after a login challenge is session-service's (the client's exactly registered redirect URI), never one
 * taken from the request.
 */
public final class ReturnTo {
    private static final List<String> ALLOWED = List.of("/device");
    private static final Pattern SAFE = Pattern.compile("/[A-Za-z0-9/_-]*(\\?[A-Za-z0-9=&_-]*)?");

    private ReturnTo() {
    }

    /** The value if it is a safe local return path, else null. */
    public static @Nullable String safe(@Nullable String value) {
        if (value == null || value.length() > 200 || !SAFE.matcher(value).matches() || value.startsWith("//")) {
            return null;
        }
        String path = value.contains("?") ? value.substring(0, value.indexOf('?')) : value;
        return ALLOWED.contains(path) ? value : null;
    }
}
