package dev.gatehouse.gateway.limit;

import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token bucket: {@code requests} per {@code window} on average, bursts of up to {@code burst} requests (the
 * bucket's capacity). Written in configuration as {@code 100/1m}, {@code 10/1s burst 40} (units {@code s}, {@code m},
 * {@code h}).
 */
public record Rate(long requests, Duration window, long burst) {
    private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d*)\\s*([smh])\\s*(?:burst\\s+(\\d+))?\\s*");

    public Rate {
        if (requests < 1 || burst < 1 || window == null || window.isNegative() || window.isZero()
                || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("requests and burst must be >= 1 and the window 1s..1d");
        }
    }

    /** Parses {@code N/W[s|m|h] [burst B]}; throws {@link IllegalArgumentException} naming the problem. */
    public static Rate parse(String spec) {
        Matcher m = spec == null ? null : SPEC.matcher(spec.toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + spec + "' is not a rate like 100/1m or 10/1s burst 40");
        }
        long requests = Long.parseLong(m.group(1));
        long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration window = switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        long burst = m.group(4) == null ? requests : Long.parseLong(m.group(4));
        return new Rate(requests, window, burst);
    }

    /** A group's policy from tenant-service's API key events. */
    public static Rate of(RateLimitPolicy policy) {
        return new Rate(policy.requests(), Duration.ofSeconds(policy.windowSeconds()), policy.burst());
    }

    BucketConfiguration bucket() {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(requests, window))
                .build();
    }

    /** The draft-ietf-httpapi-ratelimit-headers policy item: {@code "name";q=100;w=60}. */
    String policyItem(String name) {
        return "\"" + name + "\";q=" + requests + ";w=" + window.toSeconds();
    }

    /** Identifies the bucket's shape in its key, so that a changed rate starts a fresh bucket. */
    String fingerprint() {
        return requests + "-" + window.toSeconds() + "-" + burst;
    }
}
