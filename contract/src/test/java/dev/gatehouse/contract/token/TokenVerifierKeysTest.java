package dev.gatehouse.contract.token;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.gatehouse.contract.token.TestTokens.KEY;
import static dev.gatehouse.contract.token.TestTokens.NEXT_KEY;
import static dev.gatehouse.contract.token.TestTokens.NOW;
import static dev.gatehouse.contract.token.TestTokens.claims;
import static dev.gatehouse.contract.token.TestTokens.header;
import static dev.gatehouse.contract.token.TestTokens.jwks;
import static dev.gatehouse.contract.token.TestTokens.sign;
import static dev.gatehouse.contract.token.TestTokens.with;
import static org.assertj.core.api.Assertions.assertThat;

/** The JWKS cache: fetched lazily, refetched on an unknown kid at most once per interval, kept while fetches fail. */
class TokenVerifierKeysTest {
    private final SteppedClock clock = new SteppedClock(NOW);
    private final FakeJwks jwks = new FakeJwks(jwks(KEY));
    private final TokenVerifier verifier = TestTokens.verifier(jwks).clock(clock).build();

    @Test
    void theKeysAreFetchedOnFirstUseAndThenServedFromTheCache() {
        assertThat(jwks.fetches).hasValue(0);
        for (int i = 0; i < 100; i++) {
            assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        }
        assertThat(jwks.fetches).hasValue(1);
    }

    @Test
    void anUnknownKidRefetchesOnceAndThenSucceeds() {
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        clock.advance(Duration.ofMinutes(1));
        jwks.publish(jwks(KEY, NEXT_KEY));

        assertThat(verifier.verify(token(NEXT_KEY))).isInstanceOf(Principal.class);
        assertThat(verifier.verify(token(NEXT_KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).hasValue(2);
    }

    @Test
    void anUnknownKidTwiceWithinTheIntervalFetchesOnce() {
        verifier.verify(token(KEY));
        clock.advance(Duration.ofMinutes(1));
        String unknown = sign(KEY, with(header(), "kid", "k9"), claimsNow());

        assertThat(verifier.verify(unknown)).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(verifier.verify(unknown)).isEqualTo(new TokenInvalid("no key for kid"));
        clock.advance(Duration.ofSeconds(29));
        assertThat(verifier.verify(sign(KEY, with(header(), "kid", "k8"), claimsNow())))
                .isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(jwks.fetches).hasValue(2);

        clock.advance(Duration.ofSeconds(1));
        jwks.publish(jwks(KEY, NEXT_KEY));
        assertThat(verifier.verify(token(NEXT_KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).hasValue(3);
    }

    @Test
    void theIntervalIsConfigurable() {
        var verifier = TestTokens.verifier(jwks).clock(clock).minRefetchInterval(Duration.ofMinutes(5)).build();
        verifier.verify(token(KEY));
        clock.advance(Duration.ofMinutes(4));
        jwks.publish(jwks(KEY, NEXT_KEY));
        assertThat(verifier.verify(token(NEXT_KEY))).isEqualTo(new TokenInvalid("no key for kid"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(verifier.verify(token(NEXT_KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).hasValue(2);
    }

    @Test
    void manyThreadsMissingTheSameKidShareOneFetch() throws Exception {
        var slow = new FakeJwks(jwks(KEY)) {
            @Override
            public JWKSet fetch() throws IOException {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.fetch();
            }
        };
        var verifier = TestTokens.verifier(slow).clock(clock).build();
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        clock.advance(Duration.ofMinutes(1));
        slow.publish(jwks(KEY, NEXT_KEY));

        String token = token(NEXT_KEY);
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var results = new ArrayList<Future<Verification>>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<Verification>) () -> {
                    start.await();
                    return verifier.verify(token);
                }));
            }
            start.countDown();
            for (var result : results) {
                assertThat(result.get()).isInstanceOf(Principal.class);
            }
        }
        assertThat(slow.fetches).hasValue(2);
    }

    @Test
    void threadsWithKnownKeysDoNotWaitForARefresh() throws Exception {
        var gate = new CountDownLatch(1);
        var entered = new CountDownLatch(1);
        var blocking = new FakeJwks(jwks(KEY)) {
            @Override
            public JWKSet fetch() throws IOException {
                if (fetches.get() > 0) {
                    entered.countDown();
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.fetch();
            }
        };
        var verifier = TestTokens.verifier(blocking).clock(clock).build();
        verifier.verify(token(KEY));
        clock.advance(Duration.ofMinutes(10));
        String token = token(KEY);
        try (var pool = Executors.newSingleThreadExecutor()) {
            Future<Verification> refreshing = pool.submit(() -> verifier.verify(token));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(verifier.verify(token)).isInstanceOf(Principal.class);
            assertThat(refreshing).isNotDone();
            gate.countDown();
            assertThat(refreshing.get()).isInstanceOf(Principal.class);
        }
        assertThat(blocking.fetches).hasValue(2);
    }

    @Test
    void theKeysAreRefetchedAfterTheCacheTtlSoARemovedKeyStopsWorking() {
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        jwks.publish(jwks(NEXT_KEY));
        clock.advance(Duration.ofMinutes(9));
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).hasValue(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(verifier.verify(token(KEY))).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(verifier.verify(token(NEXT_KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).hasValue(2);
    }

    @Test
    void whileFetchesFailTheLastGoodKeysServeUntilTheMaxStaleAge() {
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        jwks.failWith(new IOException("connection refused"));

        clock.advance(Duration.ofMinutes(11));
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).hasValue(2);
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).as("failed fetches are rate-limited too").hasValue(2);

        clock.advance(Duration.ofHours(23).plusMinutes(48));
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        clock.advance(Duration.ofMinutes(1));
        assertThat(verifier.verify(token(KEY))).isEqualTo(new TokenInvalid("no key for kid"));

        jwks.publish(jwks(KEY));
        clock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
    }

    @Test
    void aFailedFirstFetchIsRetriedAfterTheInterval() {
        jwks.failWith(new IOException("connection refused"));
        assertThat(verifier.verify(token(KEY))).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(verifier.verify(token(KEY))).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(jwks.fetches).hasValue(1);

        jwks.publish(jwks(KEY));
        clock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify(token(KEY))).isInstanceOf(Principal.class);
        assertThat(jwks.fetches).hasValue(2);
    }

    @Test
    void aSuccessfulFetchReplacesTheKeysEvenWhenItRemovesThemAll() {
        verifier.verify(token(KEY));
        jwks.publish(new JWKSet());
        clock.advance(Duration.ofMinutes(10));
        assertThat(verifier.verify(token(KEY))).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(verifier.verify(sign(KEY, with(header(), "kid", null), claimsNow())))
                .isEqualTo(new TokenInvalid("no verification keys available"));
    }

    @Test
    void aRememberedSignatureStillHasItsClaimsCheckedAgainstTheClock() {
        String token = token(KEY);
        assertThat(verifier.verify(token)).isInstanceOf(Principal.class);
        assertThat(verifier.verify(token)).isInstanceOf(Principal.class);
        clock.advance(Duration.ofSeconds(300 + 31));
        assertThat(verifier.verify(token)).isInstanceOf(TokenExpired.class);
    }

    @Test
    void aRememberedSignatureIsForgottenWhenTheKidNowNamesAnotherKey() {
        String token = token(KEY);
        assertThat(verifier.verify(token)).isInstanceOf(Principal.class);
        // the set is refetched and kid k1 is now a different key: the token is verified again and fails
        jwks.publish(jwks(TestTokens.ATTACKER));
        clock.advance(Duration.ofMinutes(10));
        assertThat(verifier.verify(token)).isEqualTo(new TokenInvalid("signature does not verify"));
    }

    @Test
    void aTokenDifferingFromARememberedOneIsVerifiedInFull() {
        String token = token(KEY);
        assertThat(verifier.verify(token)).isInstanceOf(Principal.class);
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        assertThat(verifier.verify(tampered)).isEqualTo(new TokenInvalid("signature does not verify"));
        assertThat(verifier.verify(token)).isInstanceOf(Principal.class);
    }

    @Test
    void theCacheCanBeTurnedOffButNotMadeNegative() {
        var uncached = TestTokens.verifier(jwks).clock(clock).verifiedCacheSize(0).build();
        String token = token(KEY);
        assertThat(uncached.verify(token)).isInstanceOf(Principal.class);
        assertThat(uncached.verify(token)).isInstanceOf(Principal.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestTokens.verifier(jwks).verifiedCacheSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String token(RSAKey key) {
        return sign(key, with(header(), "kid", key.getKeyID()), claimsNow());
    }

    private java.util.Map<String, Object> claimsNow() {
        long now = clock.instant().getEpochSecond();
        return with(with(claims(), "exp", now + 300), "iat", now);
    }
}
