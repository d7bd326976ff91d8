package dev.gatehouse.kit.inbox;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import dev.gatehouse.kit.kafka.KafkaClients;
import dev.gatehouse.kit.kafka.KafkaTopics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.ApplicationConfiguration;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs every {@link EventSubscription} bean: one Kafka consumer thread each, group {@code <service>.<consumer>}.
 *
 * <p>Offsets are committed only for records the {@link Inbox} committed. When applying fails (PostgreSQL down, a
 * handler bug), the consumer seeks back to the failed record and retries it with a growing delay, holding the
 * partition so that later events of the same aggregate never overtake it. A record that can never be applied goes to
 * {@code gatehouse_kit.dead_letter} with the reason: it is kept, not dropped.
 */
@Singleton
@Requires(classes = {TransactionOperations.class, KafkaDefaultConfiguration.class})
@Requires(beans = {Inbox.class, KafkaClients.class})
public class EventConsumers {
    private static final Logger LOG = LoggerFactory.getLogger(EventConsumers.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final List<EventSubscription> subscriptions;
    private final Inbox inbox;
    private final KafkaClients kafka;
    private final KafkaTopics topics;
    private final TransactionOperations<Connection> tx;
    private final MeterRegistry meters;
    private final String service;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();

    public EventConsumers(List<EventSubscription> subscriptions, Inbox inbox, KafkaClients kafka, KafkaTopics topics,
                          TransactionOperations<Connection> tx, MeterRegistry meters, ApplicationConfiguration app) {
        this.subscriptions = subscriptions;
        this.inbox = inbox;
        this.kafka = kafka;
        this.topics = topics;
        this.tx = tx;
        this.meters = meters;
        this.service = app.getName().orElse("gatehouse");
    }

    @EventListener
    void onStartup(StartupEvent event) {
        for (EventSubscription subscription : subscriptions) {
            var worker = new Worker(subscription);
            workers.add(worker);
            worker.thread = Thread.ofPlatform().name(service + "-" + subscription.consumer()).daemon().start(worker);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        for (Worker worker : workers) {
            worker.running = false;
            worker.consumer.wakeup();
        }
        for (Worker worker : workers) {
            worker.thread.join(15_000);
        }
    }

    private final class Worker implements Runnable {
        private final EventSubscription subscription;
        private final KafkaConsumer<String, byte[]> consumer;
        private volatile boolean running = true;
        private Thread thread;
        private Duration backoff = Duration.ofMillis(200);

        Worker(EventSubscription subscription) {
            this.subscription = subscription;
            String group = service + "." + subscription.consumer();
            this.consumer = kafka.inboxConsumer(group, group);
        }

        @Override
        public void run() {
            try {
                while (running && !topics.ensureAll()) {
                    pause(backoff());
                }
                consumer.subscribe(List.of(subscription.topic().name()));
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (!records.isEmpty()) {
                        process(records);
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            } catch (RuntimeException e) {
                LOG.error("consumer {} stopped", subscription.consumer(), e);
            } finally {
                try {
                    consumer.close(Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    LOG.debug("closing consumer", e);
                }
            }
        }

        private void process(ConsumerRecords<String, byte[]> records) {
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            for (TopicPartition partition : records.partitions()) {
                for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                    try {
                        handle(record);
                        done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    } catch (WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        retryLater(records, done, partition, record, e);
                        return;
                    }
                }
            }
            backoff = Duration.ofMillis(200);
            commit(done);
        }

        private void handle(ConsumerRecord<String, byte[]> record) {
            try {
                inbox.consume(subscription.consumer(), record.value(), subscription.handlers());
            } catch (UnreadableEventException e) {
                deadLetter(record, e.getMessage());
            }
        }

        /** Rewinds every partition of the batch to its first unapplied record and waits before polling again. */
        private void retryLater(ConsumerRecords<String, byte[]> records, Map<TopicPartition, OffsetAndMetadata> done,
                                TopicPartition failedPartition, ConsumerRecord<String, byte[]> failed, RuntimeException e) {
            Duration wait = backoff();
            LOG.warn("consumer {} could not apply {}@{}, retrying in {} ms: {}", subscription.consumer(),
                    failedPartition, failed.offset(), wait.toMillis(), e.toString());
            meters.counter("gatehouse.events.retries", "consumer", subscription.consumer()).increment();
            for (TopicPartition partition : records.partitions()) {
                OffsetAndMetadata applied = done.get(partition);
                long next = applied != null ? applied.offset() : records.records(partition).getFirst().offset();
                consumer.seek(partition, next);
            }
            commit(done);
            pause(wait);
        }

        private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (offsets.isEmpty()) {
                return;
            }
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                // Harmless: the records come again and the inbox skips them.
                LOG.warn("consumer {} could not commit offsets: {}", subscription.consumer(), e.toString());
            }
        }

        private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
            LOG.error("consumer {} dead-lettered {}-{}@{}: {}", subscription.consumer(), record.topic(),
                    record.partition(), record.offset(), reason);
            meters.counter("gatehouse.events.dead_lettered", "consumer", subscription.consumer()).increment();
            tx.executeWrite(status -> {
                try (var insert = status.getConnection().prepareStatement("""
                        insert into gatehouse_kit.dead_letter (consumer, topic, kafka_partition, kafka_offset, reason, record)
                        values (?, ?, ?, ?, ?, ?)""")) {
                    insert.setString(1, subscription.consumer());
                    insert.setString(2, record.topic());
                    insert.setInt(3, record.partition());
                    insert.setLong(4, record.offset());
                    insert.setString(5, reason);
                    insert.setString(6, record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
                    return insert.executeUpdate();
                }
            });
        }

        private Duration backoff() {
            Duration current = backoff;
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            return current;
        }

        private void pause(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** For tests and diagnostics: the consumer names running here. */
    public List<String> running() {
        var names = new ArrayList<String>();
        workers.forEach(w -> names.add(w.subscription.consumer()));
        return names;
    }
}
