package dev.gatehouse.contract.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The verifier's cached {@link KeySet}. Reading it is one volatile read; only a due refresh takes the lock, and a
 * thread that already has keys to serve never waits for another thread's fetch.
 *
 * <p>Fetches, whatever triggers them (first use, {@code cacheTtl}, an unknown kid), start at most once per
 * {@code minRefetchInterval}, counted from the start of the previous one. A failed fetch keeps the last good set
 * until it is {@code maxStaleAge} old.
 */
final class JwksCache {
    private static final System.Logger LOG = System.getLogger(TokenVerifier.class.getName());

    private final JwksSource source;
    private final Set<JWSAlgorithm> algorithms;
    private final long ttlMillis;
    private final long minRefetchMillis;
    private final long maxStaleMillis;
    private final ReentrantLock fetching = new ReentrantLock();

    private volatile KeySet keys = KeySet.NONE;
    /** No fetch starts before this (clock millis). Written under {@link #fetching}. */
    private volatile long nextFetchAt = Long.MIN_VALUE;

    JwksCache(JwksSource source, Set<JWSAlgorithm> algorithms, long ttlMillis, long minRefetchMillis,
              long maxStaleMillis) {
        this.source = source;
        this.algorithms = algorithms;
        this.ttlMillis = ttlMillis;
        this.minRefetchMillis = minRefetchMillis;
        this.maxStaleMillis = maxStaleMillis;
    }

    /**
     * The current keys, fetched first when due and allowed. With keys in hand a thread serves them while another
     * refreshes; without any it waits for the fetch in progress.
     */
    KeySet current(long now) {
        KeySet current = keys;
        if (now < current.refreshAt || now < nextFetchAt) {
            return current;
        }
        if (current == KeySet.NONE) {
            fetching.lock();
        } else if (!fetching.tryLock()) {
            return current;
        }
        try {
            return refreshLocked(current, now);
        } finally {
            fetching.unlock();
        }
    }

    /**
     * The keys after {@code seen} lacked the token's kid: a newer set if another thread fetched one meanwhile,
     * otherwise a fresh fetch if the interval allows it, otherwise {@code seen}.
     */
    KeySet afterUnknownKey(KeySet seen, long now) {
        if (now < nextFetchAt) {
            return keys;
        }
        fetching.lock();
        try {
            return refreshLocked(seen, now);
        } finally {
            fetching.unlock();
        }
    }

    private KeySet refreshLocked(KeySet seen, long now) {
        KeySet latest = keys;
        if (latest != seen || now < nextFetchAt) {
            return latest;
        }
        try {
            JWKSet jwks = source.fetch();
            if (jwks == null) {
                throw new IOException("the JWKS source returned nothing");
            }
            latest = KeySet.of(jwks, algorithms, now, ttlMillis, maxStaleMillis);
            keys = latest;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "fetching the JWKS from {0} failed, {1}: {2}", source,
                    latest == KeySet.NONE ? "no keys yet" : "keeping the last good keys", e.toString());
        } finally {
            nextFetchAt = now + minRefetchMillis;
        }
        return latest;
    }
}
