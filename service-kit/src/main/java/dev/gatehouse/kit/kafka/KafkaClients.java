package dev.gatehouse.kit.kafka;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;

/**
 * Builds the Kafka clients the kit uses, from the service's {@code kafka.*} configuration (bootstrap servers,
 * security) plus the delivery guarantees the outbox and inbox rely on, which configuration cannot weaken.
 */
@Singleton
@Requires(classes = KafkaDefaultConfiguration.class)
@Requires(beans = KafkaDefaultConfiguration.class)
public class KafkaClients {
    private final KafkaDefaultConfiguration kafka;

    public KafkaClients(KafkaDefaultConfiguration kafka) {
        this.kafka = kafka;
    }

    private Properties base() {
        var props = new Properties();
        props.putAll(kafka.getConfig());
        return props;
    }

    /** An idempotent, acks=all producer: per-partition order survives retries. */
    public KafkaProducer<String, byte[]> outboxProducer(String clientId, long sendTimeoutMs) {
        var props = base();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Fail fast while Kafka is down: the relay backs off and retries the same rows.
        int requestTimeout = (int) Math.max(1_000, sendTimeoutMs / 3);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(requestTimeout));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(sendTimeoutMs, requestTimeout + 2L)));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(sendTimeoutMs));
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer that never auto-commits: offsets are committed only after the inbox transaction committed. */
    public KafkaConsumer<String, byte[]> inboxConsumer(String groupId, String clientId) {
        var props = base();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public Admin admin() {
        var props = base();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }
}
