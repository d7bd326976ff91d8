package dev.gatehouse.kit.inbox;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.EventType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Which handler applies which event type, for one consumer. Types without a handler are acknowledged and ignored. */
public final class EventHandlers {
    private final Map<String, Entry<?>> byName;

    private EventHandlers(Map<String, Entry<?>> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static Builder builder() {
        return new Builder();
    }

    Optional<Entry<?>> find(String typeName) {
        return Optional.ofNullable(byName.get(typeName));
    }

    /** Applies one event inside the inbox transaction; throwing rolls the transaction back and the event is retried. */
    @FunctionalInterface
    public interface Handler<T> {
        void apply(EventEnvelope<T> event) throws Exception;
    }

    record Entry<T>(EventType<T> type, Handler<T> handler) {
    }

    public static final class Builder {
        private final Map<String, Entry<?>> byName = new LinkedHashMap<>();

        public <T> Builder on(EventType<T> type, Handler<T> handler) {
            if (byName.putIfAbsent(type.name(), new Entry<>(type, handler)) != null) {
                throw new IllegalArgumentException("two handlers for " + type.name());
            }
            return this;
        }

        public EventHandlers build() {
            return new EventHandlers(byName);
        }
    }
}
