package dev.gatehouse.gateway.limit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Map;

/**
 * Rate limits, under {@code gatehouse.gateway.rate-limits} (docs/gateway-limits.md). Named policies live under
 * {@code policies.<name>} ({@link RateLimitPolicyConfig}); a route uses the policy its route entry names, else the one
 * {@code routes.<route-id>} names, else {@code default-policy}.
 *
 * @param enabled          false turns rate limiting off (no buckets, no headers)
 * @param redisUri         the Redis the replicas share buckets in ({@code redis://host:port}); empty: each replica
 *                         counts on its own
 * @param redisTimeout     the longest a request waits for Redis before it is counted locally and the breaker opens
 * @param breakerOpenFor   how long the replica counts locally after a Redis failure before probing Redis again
 * @param localMaxBuckets  in-memory buckets kept at most (while Redis is away); beyond it they are dropped
 * @param defaultPolicy    the policy of routes that name none; must exist under {@code policies}
 * @param routes           route id to policy name, for routes whose entry names no policy
 */
@Context
@ConfigurationProperties(RateLimitConfig.PREFIX)
public record RateLimitConfig(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String redisUri,
        @Bindable(defaultValue = DEFAULT_REDIS_TIMEOUT) Duration redisTimeout,
        @Bindable(defaultValue = DEFAULT_BREAKER_OPEN_FOR) Duration breakerOpenFor,
        @Bindable(defaultValue = "100000") int localMaxBuckets,
        @Bindable(defaultValue = DEFAULT_POLICY) String defaultPolicy,
        @Nullable Map<String, String> routes) {

    public static final String PREFIX = "gatehouse.gateway.rate-limits";
    public static final String DEFAULT_REDIS_TIMEOUT = "250ms";
    public static final String DEFAULT_BREAKER_OPEN_FOR = "5s";
    public static final String DEFAULT_POLICY = "default";

    public RateLimitConfig {
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        if (redisTimeout == null || redisTimeout.isNegative() || redisTimeout.isZero()) {
            throw new ConfigurationException(PREFIX + ".redis-timeout: must be a positive duration");
        }
        if (breakerOpenFor == null || breakerOpenFor.isNegative() || breakerOpenFor.isZero()) {
            throw new ConfigurationException(PREFIX + ".breaker-open-for: must be a positive duration");
        }
        if (localMaxBuckets < 1) {
            throw new ConfigurationException(PREFIX + ".local-max-buckets: must be at least 1");
        }
    }
}
