package dev.gatehouse.kit.id;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Mints prefixed, time-ordered ids: {@code <prefix>_} + 26 characters of lowercase Crockford base32 encoding a 48-bit
 * millisecond timestamp and 80 random bits (the ULID layout). Time order keeps B-tree inserts local; 80 random
 * bits make ids unguessable enough for identifiers (they are never secrets).
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final Pattern PREFIX = Pattern.compile("[a-z]{2,8}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next(String prefix, Clock clock) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("id prefix must be 2-8 lowercase letters");
        }
        long time = clock.millis();
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        var out = new StringBuilder(prefix.length() + 27).append(prefix).append('_');
        for (int shift = 45; shift >= 0; shift -= 5) {
            out.append(ALPHABET[(int) (time >>> shift) & 31]);
        }
        // 80 random bits = 16 characters of 5 bits.
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int shift = 35; shift >= 0; shift -= 5) {
            out.append(ALPHABET[(int) (hi >>> shift) & 31]);
        }
        for (int shift = 35; shift >= 0; shift -= 5) {
            out.append(ALPHABET[(int) (lo >>> shift) & 31]);
        }
        return out.toString();
    }
}
