package dev.gatehouse.session.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an {@code application/x-www-form-urlencoded} OAuth request, parsed strictly: a repeated
 * parameter is an error (RFC 6749 §3.1, §3.2), a parameter without a value counts as omitted, and sizes are bounded.
 * Every problem is an {@code invalid_request}, never a 500.
 */
public final class FormParameters {
    public static final int MAX_BODY_CHARS = 16 * 1024;
    private static final int MAX_PARAMETERS = 64;
    private static final int MAX_VALUE_CHARS = 4096;
    private final Map<String, String> values;

    private FormParameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static FormParameters parse(String body) {
        if (body == null || body.isEmpty()) {
            return new FormParameters(Map.of());
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw OAuthException.invalidRequest("request body too large");
        }
        Map<String, String> values = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String[] pairs = body.split("&", -1);
        if (pairs.length > MAX_PARAMETERS) {
            throw OAuthException.invalidRequest("too many parameters");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!seen.add(name)) {
                throw OAuthException.invalidRequest("parameter " + printable(name) + " is repeated");
            }
            if (value.length() > MAX_VALUE_CHARS) {
                throw OAuthException.invalidRequest("parameter " + printable(name) + " is too long");
            }
            if (!value.isEmpty()) {
                values.put(name, value);
            }
        }
        return new FormParameters(values);
    }

    /** Parameters of a query string, with the same rules (the authorization endpoint). */
    public static FormParameters ofQuery(String rawQuery) {
        return parse(rawQuery);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("malformed form encoding");
        }
    }

    private static String printable(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,64}") ? name : "(invalid name)";
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value, or {@code invalid_request} naming the missing parameter. */
    public String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw OAuthException.invalidRequest("missing parameter " + name);
        }
        return value;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
