package dev.gatehouse.kit.replica;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.tenant.OrganizationCreated;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.inbox.EventHandlers;
import dev.gatehouse.kit.inbox.EventSubscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * A service's local copy of the organizations tenant-service owns, kept by consuming
 * {@code gatehouse.tenant.organization.v1}. Services read it instead of tenant-service's tables (which they may
 * not touch) and without a network hop. Enabled with {@code gatehouse.replica.organizations.enabled=true}.
 */
@Factory
@Requires(classes = {TransactionOperations.class, KafkaDefaultConfiguration.class})
@Requires(property = OrganizationReplica.ENABLED, value = "true")
public class OrganizationReplica {
    public static final String ENABLED = "gatehouse.replica.organizations.enabled";
    static final String CONSUMER = "organization-replica";

    /** One replicated organization. */
    @Serdeable
    public record ReplicatedOrganization(String id, String slug, String displayName, Instant occurredAt,
                                         Instant replicatedAt) {
    }

    @Bean
    @Singleton
    EventSubscription organizationReplicaSubscription(Store store) {
        return new EventSubscription(CONSUMER, Topics.TENANT_ORGANIZATION,
                EventHandlers.builder().on(Events.ORGANIZATION_CREATED, store::apply).build());
    }

    /** Reads and writes the replica table; writes join the inbox transaction. */
    @Singleton
    @Requires(classes = TransactionOperations.class)
    @Requires(property = OrganizationReplica.ENABLED, value = "true")
    public static class Store {
        private final TransactionOperations<Connection> tx;
        private final Counter applied;

        public Store(TransactionOperations<Connection> tx, MeterRegistry meters) {
            this.tx = tx;
            this.applied = meters.counter("gatehouse.replica.organizations.applied");
        }

        void apply(EventEnvelope<OrganizationCreated> event) throws SQLException {
            OrganizationCreated created = event.payload();
            Connection connection = (Connection) tx.findTransactionStatus().orElseThrow().getConnection();
            // A plain insert: the inbox already made this the first application of this event, so a conflict here
            // would be a real inconsistency and must fail loudly (the event is then retried, not lost).
            try (var insert = connection.prepareStatement("""
                    insert into gatehouse_kit.organization_replica (id, slug, display_name, event_id, occurred_at)
                    values (?, ?, ?, ?, ?)""")) {
                insert.setString(1, created.organizationId().value());
                insert.setString(2, created.slug());
                insert.setString(3, created.displayName());
                insert.setObject(4, event.id());
                insert.setTimestamp(5, Timestamp.from(event.occurredAt()));
                insert.executeUpdate();
            }
            applied.increment();
        }

        public Optional<ReplicatedOrganization> find(OrgId id) {
            return tx.executeRead(status -> {
                try (var select = status.getConnection().prepareStatement("""
                        select id, slug, display_name, occurred_at, replicated_at
                        from gatehouse_kit.organization_replica where id = ?""")) {
                    select.setString(1, id.value());
                    try (var rs = select.executeQuery()) {
                        return rs.next()
                                ? Optional.of(new ReplicatedOrganization(rs.getString(1), rs.getString(2),
                                rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()))
                                : Optional.<ReplicatedOrganization>empty();
                    }
                }
            });
        }

        public long count() {
            return tx.executeRead(status -> {
                try (var select = status.getConnection().prepareStatement(
                        "select count(*) from gatehouse_kit.organization_replica");
                     var rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }
    }
}
