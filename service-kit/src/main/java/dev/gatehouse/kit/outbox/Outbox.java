package dev.gatehouse.kit.outbox;

import io.micronaut.transaction.TransactionOperations;
import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.EventType;
import dev.gatehouse.contract.id.OrgId;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;

/**
 * Records events in the caller's transaction. The row commits (or rolls back) with the state change, and
 * {@link OutboxRelay} publishes it to Kafka afterwards: a committed change always gets its event, and an event is
 * never published for a change that rolled back.
 */
@Singleton
@Requires(classes = TransactionOperations.class)
@Requires(beans = DataSource.class)
public class Outbox {
    private final DataSource dataSource;
    private final JsonMapper json;
    private final Clock clock;

    public Outbox(DataSource dataSource, JsonMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Appends an event to the outbox. Must run inside a transaction (it refuses to run outside one).
     *
     * @param type    what kind of event
     * @param tenant  the organization it belongs to, or null for platform-wide events
     * @param payload the event
     * @return the envelope as it will be published
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public <T> EventEnvelope<T> record(EventType<T> type, OrgId tenant, T payload) {
        var envelope = new EventEnvelope<>(UUID.randomUUID(), type.name(), type.version(), clock.instant(),
                tenant == null ? null : tenant.value(), payload);
        String body;
        try {
            body = json.writeValueAsString(Argument.of(EventEnvelope.class, type.payloadType()), envelope);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + type.name(), e);
        }
        // The transaction-aware DataSource hands out the connection bound to the current transaction.
        try (var connection = dataSource.getConnection();
             var insert = connection.prepareStatement("""
                     insert into gatehouse_kit.outbox (event_id, topic, event_key, event_type, envelope)
                     values (?, ?, ?, ?, ?)""")) {
            insert.setObject(1, envelope.id());
            insert.setString(2, type.topic().name());
            insert.setString(3, type.aggregateKey().apply(payload));
            insert.setString(4, type.name());
            insert.setString(5, body);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("cannot record " + type.name(), e);
        }
        return envelope;
    }
}
