package dev.gatehouse.session.device;

import dev.gatehouse.session.crypto.RandomTokens;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * User codes of the device flow (RFC 8628 §6.1): 8 characters of the 20 consonants {@value #ALPHABET} (no vowels,
 * so no words; no digits, so no 0/O or 1/I confusion), shown as {@code XXXX-XXXX}. Input is case-insensitive and
 * dashes and spaces are ignored.
 */
public final class UserCodes {
    public static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    public static final int LENGTH = 8;
    private static final Pattern NORMALIZED = Pattern.compile("[" + ALPHABET + "]{" + LENGTH + "}");
    private static final int MAX_INPUT = 64;

    private UserCodes() {
    }

    /** A fresh code in its display form, each character uniform over the alphabet. */
    public static String next() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(RandomTokens.nextInt(ALPHABET.length())));
        }
        return display(code.toString());
    }

    /** {@code XXXX-XXXX} of a normalised code. */
    public static String display(String normalized) {
        return normalized.substring(0, LENGTH / 2) + "-" + normalized.substring(LENGTH / 2);
    }

    /**
     * What the user typed, upper-cased without dashes and white space; empty unless that is 8 characters of the
     * alphabet.
     */
    public static Optional<String> normalize(String input) {
        if (input == null || input.length() > MAX_INPUT) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '-' || c == ' ' || c == '\t') {
                continue;
            }
            if (c > 0x7f) {
                // no Unicode case folding: 'ſ' must not become 'S'
                return Optional.empty();
            }
            code.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
        }
        String normalized = code.toString();
        return NORMALIZED.matcher(normalized).matches() ? Optional.of(normalized) : Optional.empty();
    }
}
