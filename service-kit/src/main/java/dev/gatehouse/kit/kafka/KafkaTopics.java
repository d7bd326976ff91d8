package dev.gatehouse.kit.kafka;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import dev.gatehouse.contract.event.Topic;
import dev.gatehouse.contract.event.Topics;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the platform's topics (from {@link Topics#ALL}) when they are missing, with the partition count and
 * cleanup policy the contract declares and the broker's default replication factor. Idempotent and safe to run from
 * every replica of every service; until it succeeds the relay does not publish.
 */
@Singleton
@Requires(classes = KafkaDefaultConfiguration.class)
@Requires(beans = KafkaClients.class)
public class KafkaTopics {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
    private final KafkaClients clients;
    private volatile boolean ensured;
    private Admin admin;

    public KafkaTopics(KafkaClients clients) {
        this.clients = clients;
    }

    /** Ensures every contract topic exists; returns false (after logging) when Kafka cannot be reached. */
    public synchronized boolean ensureAll() {
        if (ensured) {
            return true;
        }
        try {
            if (admin == null) {
                admin = clients.admin();
            }
            List<NewTopic> wanted = Topics.ALL.stream().map(KafkaTopics::newTopic).toList();
            for (var entry : admin.createTopics(wanted).values().entrySet()) {
                try {
                    entry.getValue().get(10, TimeUnit.SECONDS);
                    LOG.info("created Kafka topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            ensured = true;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("cannot ensure Kafka topics yet: {}", e.toString());
            return false;
        }
    }

    private static NewTopic newTopic(Topic topic) {
        var created = new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty());
        if (topic.compacted()) {
            created.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return created;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
