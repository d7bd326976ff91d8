package dev.gatehouse.kit.inbox;

import dev.gatehouse.contract.event.Topic;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A service's subscription to one topic. Declare it as a bean; {@link EventConsumers} runs it. The consumer name is
 * the idempotency scope (one inbox row per consumer and event) and, prefixed with the service name, the Kafka group.
 *
 * @param consumer short stable name, e.g. {@code organization-replica}
 * @param topic    the topic to read
 * @param handlers what to do with each event type
 */
public record EventSubscription(String consumer, Topic topic, EventHandlers handlers) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public EventSubscription {
        if (consumer == null || !NAME.matcher(consumer).matches()) {
            throw new IllegalArgumentException("consumer name must match " + NAME + ": " + consumer);
        }
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(handlers, "handlers");
    }
}
