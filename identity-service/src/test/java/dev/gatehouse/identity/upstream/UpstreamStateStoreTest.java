package dev.gatehouse.identity.upstream;

import dev.gatehouse.devstack.RealServers;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/** Started sign-ins in real Redis: single use, never overwritten, expiring, stored under a hash of the state. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamStateStoreTest implements RealServers {
    @Inject
    UpstreamStateStore store;
    @Inject
    StatefulRedisConnection<String, String> redis;

    @Override
    public String serviceName() {
        return "identity-service";
    }

    private static PendingUpstreamSignIn pending(String provider) {
        return new PendingUpstreamSignIn(provider, PendingUpstreamSignIn.WEB, "nonce", Pkce.newVerifier(), "c",
                "binding-hash", "https://app.example.test/cb", null, 0);
    }

    @Test
    void aStateIsTakenOnceAndStoredOnlyAsItsHash() {
        String state = UpstreamStateStoreTest.class.getSimpleName() + System.nanoTime() + "-0123456789abcdefghijkl";
        assertThat(store.put(state, pending("google"), Duration.ofMinutes(10))).isTrue();
        assertThat(redis.sync().keys("*" + state + "*")).isEmpty();
        long ttl = redis.sync().pttl(UpstreamStateStore.key(state));
        assertThat(ttl).isBetween(590_000L, 600_000L);
        assertThat(store.take(state)).hasValueSatisfying(p -> assertThat(p.provider()).isEqualTo("google"));
        assertThat(store.take(state)).isEmpty();
    }

    @Test
    void aStateInUseIsNeverOverwritten() {
        String state = "in-use-" + System.nanoTime() + "-0123456789abcdefghijkl";
        assertThat(store.put(state, pending("google"), Duration.ofMinutes(10))).isTrue();
        assertThat(store.put(state, pending("evil"), Duration.ofMinutes(10))).isFalse();
        assertThat(store.take(state)).hasValueSatisfying(p -> assertThat(p.provider()).isEqualTo("google"));
    }

    @Test
    void anExpiredStateIsGone() throws Exception {
        String state = "expiring-" + System.nanoTime() + "-0123456789abcdefghijkl";
        assertThat(store.put(state, pending("google"), Duration.ofMillis(50))).isTrue();
        Thread.sleep(150);
        assertThat(store.take(state)).isEmpty();
    }

    @Test
    void ofConcurrentFinalizationsExactlyOneGetsTheState() throws Exception {
        String state = "race-" + System.nanoTime() + "-0123456789abcdefghijkl";
        store.put(state, pending("google"), Duration.ofMinutes(1));
        int racers = 8;
        CyclicBarrier barrier = new CyclicBarrier(racers);
        List<CompletableFuture<Boolean>> takes = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            takes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return store.take(state).isPresent();
            }));
        }
        assertThat(takes.stream().map(CompletableFuture::join).filter(b -> b).count()).isEqualTo(1);
    }
}
