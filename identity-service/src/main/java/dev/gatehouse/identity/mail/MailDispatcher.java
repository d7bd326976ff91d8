package dev.gatehouse.identity.mail;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends mail off the request thread: {@link #submit} returns at once, delivery happens on a small pool, retried with a
 * doubling delay ({@code gatehouse.identity.mail.retry-delay}) up to {@code max-attempts}. Only for mail whose loss is
 * recoverable by the user (a magic code: ask for another); the message lives in memory only, so its code is never
 * written anywhere. Log lines name the kind and a masked recipient, never the body.
 */
@Singleton
public class MailDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MailDispatcher.class);

    private final SmtpMailer mailer;
    private final MailConfig config;
    private final MeterRegistry meters;
    private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2, Thread.ofPlatform()
            .name("identity-mail-", 0).daemon().factory());

    public MailDispatcher(SmtpMailer mailer, MailConfig config, MeterRegistry meters) {
        this.mailer = mailer;
        this.config = config;
        this.meters = meters;
    }

    /** Queues {@code message} for delivery and returns immediately. */
    public void submit(MailMessage message) {
        schedule(message, 1, Duration.ZERO);
    }

    private void schedule(MailMessage message, int attempt, Duration delay) {
        try {
            pool.schedule(() -> attempt(message, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("mail {} to {} dropped: shutting down", message.kind(), message.maskedRecipient());
        }
    }

    private void attempt(MailMessage message, int attempt) {
        try {
            mailer.send(message);
            LOG.info("mail {} sent to {} (attempt {})", message.kind(), message.maskedRecipient(), attempt);
        } catch (MailDeliveryException e) {
            if (e.permanent() || attempt >= config.maxAttempts()) {
                meters.counter("gatehouse.identity.mail.given_up", "kind", message.kind()).increment();
                LOG.error("mail {} to {} given up after {} attempt(s): {}", message.kind(), message.maskedRecipient(),
                        attempt, e.getMessage());
                return;
            }
            Duration wait = config.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 10));
            LOG.warn("mail {} to {} failed (attempt {}), retrying in {} ms: {}", message.kind(),
                    message.maskedRecipient(), attempt, wait.toMillis(), e.getMessage());
            schedule(message, attempt + 1, wait);
        } catch (RuntimeException e) {
            LOG.error("mail {} to {} failed: {}", message.kind(), message.maskedRecipient(), e.toString());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
