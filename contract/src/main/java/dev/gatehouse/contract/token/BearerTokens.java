package dev.gatehouse.contract.token;

import java.util.Optional;

/** Reads the token of an {@code Authorization: Bearer} header (RFC 6750 §2.1). */
public final class BearerTokens {
    private static final String SCHEME = "Bearer ";

    private BearerTokens() {
    }

    /**
     * The token of {@code authorizationHeader}: the scheme {@code Bearer} in any case, one space, then a
     * {@code b64token} ({@code [A-Za-z0-9-._~+/]+=*}) of at most {@link TokenVerifier#MAX_TOKEN_LENGTH} characters.
     * Empty for anything else (no header, another scheme, extra spaces, a malformed or oversized token).
     */
    public static Optional<String> extract(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() <= SCHEME.length()
                || authorizationHeader.length() > SCHEME.length() + TokenVerifier.MAX_TOKEN_LENGTH
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        int length = authorizationHeader.length();
        int i = SCHEME.length();
        while (i < length && isToken68(authorizationHeader.charAt(i))) {
            i++;
        }
        if (i == SCHEME.length()) {
            return Optional.empty();
        }
        while (i < length && authorizationHeader.charAt(i) == '=') {
            i++;
        }
        return i == length ? Optional.of(authorizationHeader.substring(SCHEME.length())) : Optional.empty();
    }

    private static boolean isToken68(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
