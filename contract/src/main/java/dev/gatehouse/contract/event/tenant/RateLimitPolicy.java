package dev.gatehouse.contract.event.tenant;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A user group's rate limit (seed 001: API keys are "subject to rate limits per user group"), enforced by
 * gateway-edge as a token bucket: {@code requests} per {@code windowSeconds} on average, bursts of up to
 * {@code burst} requests.
 *
 * @param requests      requests allowed per window, 1 or more
 * @param windowSeconds the window, 1 to 86400 seconds
 * @param burst         bucket size, at least 1
 */
@Serdeable
public record RateLimitPolicy(int requests, int windowSeconds, int burst) {
    public RateLimitPolicy {
        if (requests < 1 || windowSeconds < 1 || windowSeconds > 86_400 || burst < 1) {
            throw new IllegalArgumentException("requests and burst must be >= 1, windowSeconds 1..86400");
        }
    }
}
