package dev.gatehouse.contract.event;

import java.util.Objects;
import java.util.function.Function;

/**
 * Everything a producer and a consumer must agree on for one kind of event: its name and version, the topic it is
 * published to, the payload type, and how the Kafka key (the aggregate id) is derived. Per-aggregate order holds
 * because every event of one aggregate has the same key and therefore lands in the same partition.
 *
 * @param name        {@code <Aggregate><PastVerb>}
 * @param version     payload schema version
 * @param topic       {@link Topic} the event is published to
 * @param payloadType payload class
 * @param aggregateKey extracts the aggregate id (the Kafka record key) from a payload
 * @param <T>         payload type
 */
public record EventType<T>(String name, int version, Topic topic, Class<T> payloadType,
                           Function<T, String> aggregateKey) {
    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(aggregateKey, "aggregateKey");
    }
}
