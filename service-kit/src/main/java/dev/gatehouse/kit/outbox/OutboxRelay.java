package dev.gatehouse.kit.outbox;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import dev.gatehouse.kit.kafka.KafkaClients;
import dev.gatehouse.kit.kafka.KafkaTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.ApplicationConfiguration;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and marks them published only after Kafka acknowledged
 * them: delivery is at least once and nothing is dropped while Kafka is down (the relay backs off and retries the
 * same rows). One replica relays at a time (a PostgreSQL advisory lock), so events of one aggregate keep their
 * order: same key, same partition, sent in position order by an idempotent producer.
 */
@Singleton
@Requires(classes = {TransactionOperations.class, KafkaDefaultConfiguration.class})
@Requires(beans = {DataSource.class, KafkaClients.class})
public class OutboxRelay {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    /** Advisory lock id (the outbox lives in the service's own database, so one constant suffices). */
    private static final long RELAY_LOCK = 0x6761_7465_686f_7573L;

    private final TransactionOperations<Connection> tx;
    private final KafkaClients kafka;
    private final KafkaTopics topics;
    private final OutboxConfig config;
    private final String clientId;
    private final Clock clock;
    private final Counter published;
    private final Counter failures;
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;
    private Instant nextPurge = Instant.EPOCH;

    public OutboxRelay(TransactionOperations<Connection> tx, KafkaClients kafka, KafkaTopics topics,
                       OutboxConfig config, ApplicationConfiguration application, MeterRegistry meters, Clock clock) {
        this.tx = tx;
        this.kafka = kafka;
        this.topics = topics;
        this.config = config;
        this.clock = clock;
        this.clientId = application.getName().orElse("gatehouse") + "-outbox";
        this.published = meters.counter("gatehouse.outbox.published");
        this.failures = meters.counter("gatehouse.outbox.failures");
        Gauge.builder("gatehouse.outbox.backlog", backlog, AtomicLong::get)
                .description("unpublished outbox rows seen by the last relay pass").register(meters);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        thread = Thread.ofPlatform().name(clientId).daemon().start(this::run);
    }

    private void run() {
        Duration backoff = config.initialBackoff();
        while (running) {
            try {
                if (!topics.ensureAll()) {
                    throw new OutboxException("Kafka topics are not available", null);
                }
                int sent = relayOnce();
                backoff = config.initialBackoff();
                if (sent < config.batchSize()) {
                    purgeIfDue();
                    sleep(config.pollInterval());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                failures.increment();
                LOG.warn("outbox relay failed, retrying in {} ms: {}", backoff.toMillis(), rootMessage(e));
                closeProducer();
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), config.maxBackoff());
            }
        }
    }

    /** Publishes one batch; returns how many rows it published (0 when another replica holds the relay lock). */
    int relayOnce() {
        return tx.executeWrite(status -> {
            Connection connection = status.getConnection();
            if (!tryLock(connection)) {
                return 0;
            }
            List<Row> rows = unpublished(connection);
            backlog.set(rows.size());
            if (rows.isEmpty()) {
                return 0;
            }
            KafkaProducer<String, byte[]> producer = producer();
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                var record = new ProducerRecord<>(row.topic(), row.key(), row.envelope().getBytes(StandardCharsets.UTF_8));
                record.headers().add(new RecordHeader("gatehouse-event-id", row.eventId().toString().getBytes(StandardCharsets.US_ASCII)));
                record.headers().add(new RecordHeader("gatehouse-event-type", row.type().getBytes(StandardCharsets.US_ASCII)));
                acks.add(producer.send(record));
            }
            producer.flush();
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            for (Future<RecordMetadata> ack : acks) {
                try {
                    ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OutboxException("interrupted while publishing", e);
                } catch (Exception e) {
                    // Nothing is marked: the whole batch is sent again (consumers drop the duplicates by event id).
                    throw new OutboxException("Kafka did not acknowledge the batch", e);
                }
            }
            markPublished(connection, rows);
            published.increment(rows.size());
            return rows.size();
        });
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (var lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (var rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private List<Row> unpublished(Connection connection) throws SQLException {
        try (var select = connection.prepareStatement("""
                select position, event_id, topic, event_key, event_type, envelope
                from gatehouse_kit.outbox where published_at is null order by position limit ?""")) {
            select.setInt(1, config.batchSize());
            try (var rs = select.executeQuery()) {
                var rows = new ArrayList<Row>();
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
                return rows;
            }
        }
    }

    private void markPublished(Connection connection, List<Row> rows) throws SQLException {
        try (var update = connection.prepareStatement(
                "update gatehouse_kit.outbox set published_at = ? where position = any(?)")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setArray(2, connection.createArrayOf("bigint", rows.stream().map(Row::position).toArray()));
            update.executeUpdate();
        }
    }

    private void purgeIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(Duration.ofMinutes(10));
        tx.executeWrite(status -> {
            try (var delete = status.getConnection().prepareStatement(
                    "delete from gatehouse_kit.outbox where published_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(now.minus(config.retention())));
                return delete.executeUpdate();
            }
        });
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = kafka.outboxProducer(clientId, config.sendTimeout().toMillis());
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing producer", e);
            }
            producer = null;
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + (root != e ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
    }

    /** Stops after the batch in flight; unpublished rows stay for the next start or another replica. */
    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(config.sendTimeout().toMillis() + 1_000);
        }
        closeProducer();
    }

    private record Row(long position, UUID eventId, String topic, String key, String type, String envelope) {
    }
}
