package dev.gatehouse.session.session;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes what can never be used again: refresh tokens a day past their expiry (kept that long so a late reuse is
 * still recognised as reuse rather than as unknown), and sessions a week after their last token expired. Running
 * on several replicas at once is harmless (the deletes are idempotent).
 */
@Singleton
public class SessionPurge {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPurge.class);
    private final SessionStore store;
    private final Clock clock;

    public SessionPurge(SessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
    public void purge() {
        Instant now = clock.instant();
        try {
            int deleted = store.purge(now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(7)));
            if (deleted > 0) {
                LOG.info("purged {} expired refresh tokens and sessions", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("session purge failed, will retry: {}", e.getMessage());
        }
    }
}
