package dev.gatehouse.gateway.revocation;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topic;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.session.SessionRevoked;
import dev.gatehouse.contract.event.tenant.ApiKeyCreated;
import dev.gatehouse.contract.event.tenant.ApiKeyRevoked;
import dev.gatehouse.contract.event.tenant.ApiKeyUpdated;
import dev.gatehouse.gateway.auth.ApiKeyTable;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds {@link ApiKeyTable} and {@link Revocations} from Kafka on every replica: a consumer without a group, assigned
 * every partition of the API key topic (read from the start: it is compacted, so that is the table) and of the session
 * topic (read from {@code session-lookback} ago), so each replica sees every event within a poll.
 */
@Context
public class RevocationFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationFeed.class);
    private static final Duration MISSING_TOPIC_RECHECK = Duration.ofSeconds(3);
    private final EventFeedConfig config;
    private final ApiKeyTable keys;
    private final Revocations revocations;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean caughtUp = new AtomicBoolean(false);
    private final AtomicLong applied = new AtomicLong();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    public RevocationFeed(EventFeedConfig config, ApiKeyTable keys, Revocations revocations, JsonMapper json,
                          Clock clock) {
        this.config = config;
        this.keys = keys;
        this.revocations = revocations;
        this.json = json;
        this.clock = clock;
        this.thread = config.enabled() ? Thread.ofPlatform().daemon().name("gateway-event-feed").start(this::run)
                : null;
        if (!config.enabled()) {
            LOG.warn("gatehouse.gateway.events.bootstrap-servers is not set: no API keys, no early revocation");
        }
    }

    /** Whether the feed has read up to the end of both topics once. */
    public boolean caughtUp() {
        return caughtUp.get();
    }

    /** Events applied so far. */
    public long applied() {
        return applied.get();
    }

    private void run() {
        while (running.get()) {
            try (var c = new KafkaConsumer<>(properties(), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<Topic> missing = assign(c, List.of(Topics.TENANT_API_KEY, Topics.SESSION_SESSION));
                if (!missing.isEmpty()) {
                    LOG.info("topics {} do not exist yet; looking for them every {} s",
                            missing.stream().map(Topic::name).toList(), MISSING_TOPIC_RECHECK.toSeconds());
                }
                Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
                long lastPrune = System.nanoTime();
                long lastLook = System.nanoTime();
                while (running.get()) {
                    if (c.assignment().isEmpty()) {
                        sleep(MISSING_TOPIC_RECHECK);
                    } else {
                        for (ConsumerRecord<String, byte[]> record : c.poll(config.pollTimeout())) {
                            apply(record);
                        }
                    }
                    if (!missing.isEmpty() && System.nanoTime() - lastLook > MISSING_TOPIC_RECHECK.toNanos()) {
                        // a topic created after the gateway started (session-service booting later): add it
                        missing = assign(c, missing);
                        lastLook = System.nanoTime();
                    }
                    if (!caughtUp.get() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        caughtUp.set(true);
                        LOG.info("event feed caught up: {} API keys, {} revocations", keys.size(), revocations.size());
                    }
                    if (System.nanoTime() - lastPrune > Duration.ofMinutes(1).toNanos()) {
                        revocations.prune();
                        lastPrune = System.nanoTime();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warn("event feed failed, reconnecting in 2 s: {}", e.toString());
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    private Properties properties() {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-edge-feed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return props;
    }

    /**
     * Adds the partitions of {@code topics} that exist to the consumer's assignment (positions of partitions already
     * assigned are kept): the API key topic from its start, the session topic from {@code session-lookback} ago.
     * Returns the topics that do not exist yet; the poll loop looks for them again every few seconds, so a missing
     * session topic never holds back the API key table or the other way round.
     */
    private List<Topic> assign(KafkaConsumer<String, byte[]> c, List<Topic> topics) {
        var missing = new ArrayList<Topic>();
        var all = new ArrayList<>(c.assignment());
        var apiKeys = new ArrayList<TopicPartition>();
        var sessions = new ArrayList<TopicPartition>();
        for (Topic topic : topics) {
            List<TopicPartition> found = partitions(c, topic);
            if (found.isEmpty()) {
                missing.add(topic);
            } else {
                LOG.info("event feed reads {} ({} partitions)", topic.name(), found.size());
            }
            all.addAll(found);
            (topic.equals(Topics.SESSION_SESSION) ? sessions : apiKeys).addAll(found);
        }
        if (apiKeys.isEmpty() && sessions.isEmpty()) {
            return missing;
        }
        c.assign(all);
        c.seekToBeginning(apiKeys);
        long since = clock.millis() - config.sessionLookback().toMillis();
        var query = new HashMap<TopicPartition, Long>();
        sessions.forEach(p -> query.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = query.isEmpty() ? Map.of() : c.offsetsForTimes(query);
        for (TopicPartition p : sessions) {
            OffsetAndTimestamp at = offsets.get(p);
            if (at == null) {
                c.seekToEnd(List.of(p));
            } else {
                c.seek(p, at.offset());
            }
        }
        return missing;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, Topic topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic.name(), Duration.ofSeconds(10));
        return infos == null ? List.of()
                : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.topic().equals(Topics.TENANT_API_KEY.name()) && record.key() != null) {
                keys.remove(record.key());
            }
            return;
        }
        try {
            JsonNode tree = json.readValue(record.value(), JsonNode.class);
            JsonNode typeNode = tree.get("type");
            String type = typeNode == null ? "" : typeNode.getStringValue();
            if (type.equals(Events.API_KEY_CREATED.name())) {
                keys.apply(payload(tree, ApiKeyCreated.class));
            } else if (type.equals(Events.API_KEY_UPDATED.name())) {
                keys.apply(payload(tree, ApiKeyUpdated.class));
            } else if (type.equals(Events.API_KEY_REVOKED.name())) {
                ApiKeyRevoked revoked = payload(tree, ApiKeyRevoked.class);
                revocations.revokeApiKey(revoked.keyId(), revoked.revokedAt());
                keys.apply(revoked);
            } else if (type.equals(Events.SESSION_REVOKED.name())) {
                SessionRevoked revoked = payload(tree, SessionRevoked.class);
                revocations.revokeSession(revoked.sessionId(), revoked.tokensExpireBy());
            } else {
                return;
            }
            applied.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping an unreadable event at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
        }
    }

    private <T> T payload(JsonNode tree, Class<T> type) throws IOException {
        EventEnvelope<T> envelope = json.readValueFromTree(tree, Argument.of(EventEnvelope.class, type));
        return envelope.payload();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        running.set(false);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
