package dev.gatehouse.gateway.limit;

import dev.gatehouse.gateway.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The bucket engine against a real redis-server child process, which the tests kill and restart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimiterTest {
    private RedisProcess redis;

    @BeforeAll
    void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    private RateLimitConfig config(String uri, Duration breaker) {
        // generous: 8 test JVMs share 2 cores here, and the first call loads Bucket4j's script
        return new RateLimitConfig(true, uri, Duration.ofSeconds(1), breaker, 1000, "default", Map.of());
    }

    private static List<RateLimiter.Limit> limit(String subject, String rate) {
        return List.of(new RateLimiter.Limit("ip", "test", subject, Rate.parse(rate)));
    }

    /** A cold JVM on a busy machine may miss the first timeouts: wait until the limiter shares its buckets. */
    static RateLimiter warm(RateLimiter limiter) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!consume(limiter, limit("warm-up", "1000/1s")).shared() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertThat(limiter.sharing()).as("sharing through Redis").isTrue();
        return limiter;
    }

    private static RateLimiter.Decision consume(RateLimiter limiter, List<RateLimiter.Limit> limits) {
        return limiter.consume(limits).join();
    }

    @Test
    void aSharedBucketRefusesWhenEmptyThenRefills() throws InterruptedException {
        try (RateLimiter limiter = warm(new RateLimiter(config(redis.uri(), Duration.ofMillis(500))))) {
            var limits = limit(UUID.randomUUID().toString(), "2/1s");
            RateLimiter.Decision first = consume(limiter, limits);
            assertThat(first.allowed()).isTrue();
            assertThat(first.shared()).isTrue();
            assertThat(first.rateLimitPolicy()).isEqualTo("\"ip\";q=2;w=1");
            assertThat(first.rateLimit()).isEqualTo("\"ip\";r=1;t=1");
            assertThat(consume(limiter, limits).allowed()).isTrue();
            RateLimiter.Decision refused = consume(limiter, limits);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfterSeconds()).isEqualTo(1);
            assertThat(refused.rateLimit()).isEqualTo("\"ip\";r=0;t=1");
            Thread.sleep(600);
            assertThat(consume(limiter, limits).allowed()).as("one token back after 0.5 s").isTrue();
            assertThat(consume(limiter, limits).allowed()).isFalse();
        }
    }

    @Test
    void twoReplicasDrawFromTheSameBucket() {
        try (RateLimiter a = warm(new RateLimiter(config(redis.uri(), Duration.ofMillis(500))));
             RateLimiter b = warm(new RateLimiter(config(redis.uri(), Duration.ofMillis(500))))) {
            var limits = limit(UUID.randomUUID().toString(), "3/1m");
            assertThat(consume(a, limits).allowed()).isTrue();
            assertThat(consume(b, limits).allowed()).isTrue();
            assertThat(consume(a, limits).allowed()).isTrue();
            RateLimiter.Decision refused = consume(b, limits);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfterSeconds()).isBetween(19L, 20L);
        }
    }

    @Test
    void theTightestBucketDecidesAndNamesItself() {
        try (RateLimiter limiter = warm(new RateLimiter(config(redis.uri(), Duration.ofMillis(500))))) {
            String id = UUID.randomUUID().toString();
            var limits = List.of(new RateLimiter.Limit("ip", "test", id, Rate.parse("100/1m")),
                    new RateLimiter.Limit("key", "test", id, Rate.parse("1/1m")));
            RateLimiter.Decision first = consume(limiter, limits);
            assertThat(first.allowed()).isTrue();
            assertThat(first.rateLimit()).startsWith("\"key\";r=0");
            assertThat(first.rateLimitPolicy()).isEqualTo("\"ip\";q=100;w=60, \"key\";q=1;w=60");
            RateLimiter.Decision refused = consume(limiter, limits);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.rateLimit()).isEqualTo("\"key\";r=0;t=60");
        }
    }

    @Test
    void aDeadRedisIsReplacedByLocalBucketsWithoutLatencyAndComesBack() throws InterruptedException {
        try (RateLimiter limiter = warm(new RateLimiter(config(redis.uri(), Duration.ofMillis(700))))) {
            redis.kill();
            try {
                var limits = limit(UUID.randomUUID().toString(), "3/1m");
                RateLimiter.Decision first = consume(limiter, limits);
                assertThat(first.allowed()).isTrue();
                assertThat(first.shared()).isFalse();
                long started = System.nanoTime();
                assertThat(consume(limiter, limits).allowed()).isTrue();
                assertThat(consume(limiter, limits).allowed()).isTrue();
                RateLimiter.Decision refused = consume(limiter, limits);
                long micros = (System.nanoTime() - started) / 1000;
                assertThat(refused.allowed()).as("local buckets still limit").isFalse();
                assertThat(refused.shared()).isFalse();
                assertThat(micros).as("the open breaker skips Redis").isLessThan(20_000);
                assertThat(limiter.sharing()).isFalse();
            } finally {
                redis.restart();
            }
            // after the breaker's pause one request probes Redis and the buckets are shared again
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            RateLimiter.Decision decision;
            do {
                Thread.sleep(100);
                decision = consume(limiter, limit(UUID.randomUUID().toString(), "5/1m"));
            } while (!decision.shared() && System.nanoTime() < deadline);
            assertThat(decision.shared()).isTrue();
            assertThat(limiter.sharing()).isTrue();
        }
    }

    @Test
    void aHungRedisCostsOneTimeoutThenTheBreakerAnswersLocally() {
        RateLimitConfig fast = new RateLimitConfig(true, redis.uri(), Duration.ofMillis(300), Duration.ofSeconds(30),
                1000, "default", Map.of());
        try (RateLimiter limiter = warm(new RateLimiter(fast))) {
            redis.pause();
            try {
                var limits = limit(UUID.randomUUID().toString(), "100/1m");
                long started = System.nanoTime();
                RateLimiter.Decision first = consume(limiter, limits);
                long firstMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(first.allowed()).isTrue();
                assertThat(first.shared()).isFalse();
                assertThat(firstMillis).as("one redis-timeout").isBetween(250L, 2_000L);
                started = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    assertThat(consume(limiter, limits).shared()).isFalse();
                }
                long micros = (System.nanoTime() - started) / 1000;
                assertThat(micros / 50).as("per request while the breaker is open").isLessThan(2_000);
            } finally {
                redis.resume();
            }
        }
    }

    @Test
    void aRedisAbsentAtStartupIsPickedUpWhenItAppears() throws InterruptedException {
        int port = RedisProcess.freePort();
        try (RateLimiter limiter = new RateLimiter(config("redis://127.0.0.1:" + port, Duration.ofMillis(300)))) {
            RateLimiter.Decision local = consume(limiter, limit("x", "5/1m"));
            assertThat(local.allowed()).isTrue();
            assertThat(local.shared()).isFalse();
            assertThat(limiter.sharing()).isFalse();
            try (RedisProcess late = RedisProcess.startOn(port)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                RateLimiter.Decision decision;
                do {
                    Thread.sleep(100);
                    decision = consume(limiter, limit("x", "5/1m"));
                } while (!decision.shared() && System.nanoTime() < deadline);
                assertThat(decision.shared()).as("connected in the background once Redis listens").isTrue();
            }
        }
    }

    @Test
    void withoutRedisEveryReplicaCountsOnItsOwn() {
        try (RateLimiter limiter = new RateLimiter(config("", Duration.ofSeconds(1)))) {
            var limits = limit("y", "1/1m");
            assertThat(consume(limiter, limits).allowed()).isTrue();
            RateLimiter.Decision refused = consume(limiter, limits);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.shared()).isFalse();
        }
    }

    @Test
    void ratesParseTheConfiguredForms() {
        assertThat(Rate.parse("100/1m")).isEqualTo(new Rate(100, Duration.ofMinutes(1), 100));
        assertThat(Rate.parse("10/s burst 40")).isEqualTo(new Rate(10, Duration.ofSeconds(1), 40));
        assertThat(Rate.parse(" 5 / 2h ")).isEqualTo(new Rate(5, Duration.ofHours(2), 5));
        for (String bad : List.of("", "100", "0/1m", "10/1d", "ten/1m", "10/1m burst", "10/1m burst 0")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Rate.parse(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
