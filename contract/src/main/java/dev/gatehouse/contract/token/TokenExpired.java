package dev.gatehouse.contract.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A correctly signed token that would be accepted but whose {@code exp} has passed (beyond the verifier's leeway).
 * The expected case in normal operation: the client refreshes and retries. Never answered for a token whose
 * signature did not verify, nor for one that is wrong in any other way.
 *
 * @param expiredAt the token's {@code exp}
 */
public record TokenExpired(Instant expiredAt) implements Rejection {
    /** The wire kind. */
    public static final String KIND = "TokenExpired";

    public TokenExpired {
        Objects.requireNonNull(expiredAt, "expiredAt");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
