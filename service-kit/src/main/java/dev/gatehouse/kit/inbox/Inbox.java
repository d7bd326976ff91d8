package dev.gatehouse.kit.inbox;

import dev.gatehouse.contract.event.EventEnvelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.util.UUID;

/**
 * Applies each event at most once per consumer: the inbox row and the handler's writes commit in one transaction, so
 * a redelivered event (the outbox is at-least-once) finds its row and is skipped.
 */
@Singleton
@Requires(classes = TransactionOperations.class)
@Requires(beans = DataSource.class)
public class Inbox {
    private final TransactionOperations<Connection> tx;
    private final JsonMapper json;
    private final MeterRegistry meters;

    public Inbox(TransactionOperations<Connection> tx, JsonMapper json, MeterRegistry meters) {
        this.tx = tx;
        this.json = json;
        this.meters = meters;
    }

    /** What became of one record. */
    public enum Outcome { APPLIED, DUPLICATE, IGNORED }

    /**
     * Parses {@code record} and applies it once for {@code consumer}.
     *
     * @throws UnreadableEventException when the record can never be applied (not an envelope, unknown version)
     * @throws RuntimeException         on infrastructure failure: nothing was committed, retry the record
     */
    public Outcome consume(String consumer, byte[] record, EventHandlers handlers) {
        JsonNode tree;
        try {
            tree = json.readValue(record, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableEventException("not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject() || tree.get("type") == null || !tree.get("type").isString()) {
            throw new UnreadableEventException("not an event envelope");
        }
        String typeName = tree.get("type").getStringValue();
        var entry = handlers.find(typeName);
        if (entry.isEmpty()) {
            count(consumer, typeName, Outcome.IGNORED);
            return Outcome.IGNORED;
        }
        return apply(consumer, tree, entry.get());
    }

    private <T> Outcome apply(String consumer, JsonNode tree, EventHandlers.Entry<T> entry) {
        EventEnvelope<T> envelope;
        try {
            envelope = json.readValueFromTree(tree, Argument.of(EventEnvelope.class, entry.type().payloadType()));
        } catch (IOException | RuntimeException e) {
            throw new UnreadableEventException("malformed " + entry.type().name() + ": " + e.getMessage());
        }
        if (envelope == null || envelope.payload() == null) {
            throw new UnreadableEventException("empty " + entry.type().name());
        }
        if (envelope.version() != entry.type().version()) {
            throw new UnreadableEventException(entry.type().name() + " version " + envelope.version()
                    + " is not the supported version " + entry.type().version());
        }
        Outcome outcome = tx.executeWrite(status -> {
            if (!claim(status.getConnection(), consumer, envelope.id(), envelope.type())) {
                return Outcome.DUPLICATE;
            }
            entry.handler().apply(envelope);
            return Outcome.APPLIED;
        });
        count(consumer, envelope.type(), outcome);
        return outcome;
    }

    private static boolean claim(Connection connection, String consumer, UUID eventId, String type) throws java.sql.SQLException {
        try (var insert = connection.prepareStatement("""
                insert into gatehouse_kit.inbox (consumer, event_id, event_type) values (?, ?, ?)
                on conflict do nothing""")) {
            insert.setString(1, consumer);
            insert.setObject(2, eventId);
            insert.setString(3, type);
            return insert.executeUpdate() == 1;
        }
    }

    private void count(String consumer, String type, Outcome outcome) {
        meters.counter("gatehouse.events.consumed", "consumer", consumer, "type", type,
                "outcome", outcome.name().toLowerCase()).increment();
    }
}
