package dev.gatehouse.gateway.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Token buckets shared by every gateway replica through Redis (Bucket4j's compare-and-swap protocol over Lettuce's
 * asynchronous API: no thread waits on Redis). When Redis fails or is slower than {@code redis-timeout}, a circuit
 * breaker opens for {@code breaker-open-for}: meanwhile each replica counts in its own in-memory buckets, so limits
 * keep applying (per replica) and a dead Redis adds no latency. After the pause one request probes Redis; if it
 * answers, the shared buckets are used again.
 */
@Singleton
public class RateLimiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
    static final String KEY_PREFIX = "gh:rl:";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * One bucket a request draws a token from: its kind ({@code ip}, {@code user}, {@code key}, {@code group}), the
     * policy it belongs to, whose it is and its rate. The rate is part of the Redis key, so a changed rate starts afresh.
     */
    public record Limit(String kind, String policy, String subject, Rate rate) {
        String key() {
            return KEY_PREFIX + policy + ":" + kind + ":" + rate.fingerprint() + ":" + subject;
        }
    }

    /** The outcome for one request: allowed or not, and the values of the RateLimit headers. */
    public record Decision(boolean allowed, long retryAfterSeconds, @Nullable String rateLimit,
                           @Nullable String rateLimitPolicy, boolean shared) {
        static final Decision UNLIMITED = new Decision(true, 0, null, null, true);
    }

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RateLimitConfig config;
    private final RedisClient client;
    private final RedisURI uri;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile AsyncProxyManager<String> shared;
    private final ConcurrentHashMap<String, Bucket> local = new ConcurrentHashMap<>();
    /** Shared-bucket proxies kept per key so that Bucket4j's batching can merge concurrent requests on a hot key. */
    private final ConcurrentHashMap<String, AsyncBucketProxy> proxies = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private volatile long openUntilNanos;
    private volatile boolean open;
    private final AtomicBoolean probing = new AtomicBoolean();

    public RateLimiter(RateLimitConfig config) {
        this(config, System::nanoTime);
    }

    RateLimiter(RateLimitConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        if (config.redisUri() == null || config.redisUri().isBlank()) {
            LOG.warn("rate limits: no redis-uri, every replica counts on its own (in-memory buckets)");
            this.client = null;
            this.uri = null;
            return;
        }
        this.uri = RedisURI.create(config.redisUri());
        // the connection handshake (HELLO) may take longer than a command on a cold JVM; commands have their own timeout
        uri.setTimeout(CONNECT_TIMEOUT.compareTo(config.redisTimeout()) > 0 ? CONNECT_TIMEOUT : config.redisTimeout());
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                // while disconnected, fail at once instead of queueing: the breaker then serves locally
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(config.redisTimeout()))
                .build());
        try {
            attach(client.connect(CODEC, uri));
        } catch (RuntimeException e) {
            // connecting is retried by the breaker's probe
            LOG.warn("rate limits: Redis {}:{} is unreachable at startup, counting locally for now ({})",
                    uri.getHost(), uri.getPort(), e.getClass().getSimpleName());
            trip();
        }
    }

    private void attach(StatefulRedisConnection<String, byte[]> conn) {
        this.shared = Bucket4jLettuce.casBasedBuilder(conn)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .requestTimeout(config.redisTimeout())
                .build()
                .asAsync();
        proxies.clear();
        this.connection = conn;
    }

    /** Takes one token from each bucket; refused when any of them is empty. Never fails. */
    public CompletableFuture<Decision> consume(List<Limit> limits) {
        if (limits.isEmpty()) {
            return CompletableFuture.completedFuture(Decision.UNLIMITED);
        }
        if (useShared()) {
            List<CompletableFuture<ConsumptionProbe>> probes = new ArrayList<>(limits.size());
            for (Limit limit : limits) {
                probes.add(sharedBucket(limit).tryConsumeAndReturnRemaining(1));
            }
            return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                    .orTimeout(config.redisTimeout().toNanos(), TimeUnit.NANOSECONDS)
                    .handle((ignored, failure) -> {
                        if (failure != null) {
                            trip(failure);
                            return consumeLocally(limits);
                        }
                        closeBreaker();
                        List<ConsumptionProbe> results = probes.stream().map(CompletableFuture::join).toList();
                        return decide(limits, results, true);
                    });
        }
        return CompletableFuture.completedFuture(consumeLocally(limits));
    }

    /**
     * The proxy of a shared bucket. Bucket4j's Redis protocol is compare-and-swap: many requests at once on one key (one
     * busy API key, one client IP) would retry each other's swaps. Batching lets one proxy send a single swap for all
     * the requests waiting on it, so a hot key costs about one Redis round trip per batch instead of a retry storm.
     */
    private AsyncBucketProxy sharedBucket(Limit limit) {
        return bounded(proxies, limit.key(), key -> shared.builder()
                .withOptimization(Optimizations.batching())
                .build(key, () -> CompletableFuture.completedFuture(limit.rate().bucket())));
    }

    /**
     * {@code map}'s entry for {@code key}, created when absent. Crude but bounded: past {@code local-max-buckets}
     * entries (a flood of distinct subjects) the map is emptied rather than the heap; for the shared proxies that only
     * costs rebuilding them (the counts live in Redis), for the local buckets it resets the local counts.
     */
    private <T> T bounded(ConcurrentHashMap<String, T> map, String key, java.util.function.Function<String, T> create) {
        if (map.size() > config.localMaxBuckets()) {
            map.clear();
        }
        return map.computeIfAbsent(key, create);
    }

    private Decision consumeLocally(List<Limit> limits) {
        List<ConsumptionProbe> results = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            Bucket bucket = bounded(local, limit.key(),
                    k -> Bucket.builder().addLimit(limit.rate().bucket().getBandwidths()[0]).build());
            results.add(bucket.tryConsumeAndReturnRemaining(1));
        }
        return decide(limits, results, false);
    }

    private static Decision decide(List<Limit> limits, List<ConsumptionProbe> results, boolean shared) {
        boolean allowed = true;
        long waitNanos = 0;
        int tightest = 0;
        StringBuilder policy = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            ConsumptionProbe probe = results.get(i);
            if (!probe.isConsumed()) {
                allowed = false;
                waitNanos = Math.max(waitNanos, probe.getNanosToWaitForRefill());
            }
            if (rank(probe) < rank(results.get(tightest))) {
                tightest = i;
            }
            if (!policy.isEmpty()) {
                policy.append(", ");
            }
            policy.append(limits.get(i).rate().policyItem(limits.get(i).kind()));
        }
        ConsumptionProbe tight = results.get(tightest);
        long retryAfter = allowed ? 0 : Math.max(1, ceilSeconds(waitNanos));
        long reset = allowed ? ceilSeconds(tight.getNanosToWaitForReset()) : retryAfter;
        String rateLimit = "\"" + limits.get(tightest).kind() + "\";r=" + Math.max(0, tight.getRemainingTokens())
                + ";t=" + reset;
        return new Decision(allowed, retryAfter, rateLimit, policy.toString(), shared);
    }

    /** Refused probes sort first, then the fewest tokens left. */
    private static long rank(ConsumptionProbe probe) {
        return probe.isConsumed() ? probe.getRemainingTokens() : -1;
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    private boolean useShared() {
        if (client == null) {
            return false;
        }
        if (!open) {
            return true;
        }
        // open: once the pause is over, one request at a time probes Redis; the others count locally
        if (nanoClock.getAsLong() - openUntilNanos < 0 || !probing.compareAndSet(false, true)) {
            return false;
        }
        if (shared != null) {
            return true;
        }
        // no connection yet (Redis was down at startup): connect in the background, this request counts locally
        client.connectAsync(CODEC, uri).whenComplete((conn, failure) -> {
            if (failure != null) {
                trip();
            } else {
                attach(conn);
                closeBreaker();
            }
        });
        return false;
    }

    private void trip(Throwable failure) {
        if (!open) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            LOG.warn("rate limits: Redis failed ({}), counting in local buckets for {}",
                    cause.getClass().getSimpleName(), config.breakerOpenFor());
        }
        trip();
    }

    private void trip() {
        openUntilNanos = nanoClock.getAsLong() + config.breakerOpenFor().toNanos();
        open = true;
        probing.set(false);
    }

    private void closeBreaker() {
        if (open) {
            open = false;
            probing.set(false);
            LOG.info("rate limits: Redis answers again, buckets are shared");
        }
    }

    /** Whether the shared buckets are in use (false while the breaker is open). */
    public boolean sharing() {
        return shared != null && !open;
    }

    /** Drops the in-memory buckets (tests). */
    void clearLocal() {
        local.clear();
    }

    @PreDestroy
    @Override
    public void close() {
        StatefulRedisConnection<String, byte[]> conn = connection;
        if (conn != null) {
            conn.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
