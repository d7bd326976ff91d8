package dev.gatehouse.identity.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.contract.event.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/** Reads identity-service's events ({@code gatehouse.identity.user.v1}) from the real broker. */
public final class EventProbe {
    private final String bootstrap;

    EventProbe(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /**
     * Waits (up to 30 s) for an event envelope of {@code type} whose envelope matches {@code match}, reading the
     * topic from the beginning; returns the envelope ({@code id, type, version, occurredAt, tenantId, payload}).
     */
    public JsonNode await(String type, Predicate<JsonNode> match) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "identity-stack-probe-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.IDENTITY_USER.name()));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode envelope;
                    try {
                        envelope = StackHttp.JSON.readTree(record.value());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (type.equals(envelope.path("type").asText()) && match.test(envelope)) {
                        return envelope;
                    }
                    seen.add(envelope.path("type").asText());
                }
            }
        }
        throw new AssertionError("no " + type + " event matched within 30 s (saw " + seen.size() + " others)");
    }
}
