package dev.gatehouse.identity.internal.http;

import java.time.Duration;

/** Throttled: a 429 problem with {@code Retry-After}. */
public class TooManyAttemptsException extends RuntimeException {
    private final Duration retryAfter;

    public TooManyAttemptsException(String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
