package dev.gatehouse.tenant.support;

import dev.gatehouse.contract.event.Topic;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/** Reads what the relay really published to Kafka. */
public final class KafkaEvents {
    private final String bootstrap;
    private final JsonMapper json;

    public KafkaEvents(String bootstrap, JsonMapper json) {
        this.bootstrap = bootstrap;
        this.json = json;
    }

    /** One published record: its key and envelope. */
    public record Event(String key, Map<String, Object> envelope) {
        public String type() {
            return (String) envelope.get("type");
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> payload() {
            return (Map<String, Object>) envelope.get("payload");
        }
    }

    /** Reads the topic from the start until {@code count} records with this key arrived (30 s at most). */
    public List<Event> await(Topic topic, String key, int count) {
        return await(topic, e -> key.equals(e.key()), count);
    }

    @SuppressWarnings("unchecked")
    public List<Event> await(Topic topic, Predicate<Event> wanted, int count) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Event> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && found.size() < count) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    try {
                        var event = new Event(record.key(), json.readValue(record.value(), Map.class));
                        if (wanted.test(event)) {
                            found.add(event);
                        }
                    } catch (IOException e) {
                        // the broker is shared by every test of the run, and some publish garbage on purpose (the
                        // consumers' dead-letter tests): a record that is not JSON is no event anyone awaits here
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("only " + found.size() + " of " + count + " events on " + topic.name()
                    + ": " + found);
        }
        return found;
    }
}
