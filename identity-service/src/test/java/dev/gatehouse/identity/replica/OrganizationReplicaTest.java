package dev.gatehouse.identity.replica;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.tenant.OrganizationCreated;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.devstack.RealServers;
import dev.gatehouse.kit.replica.OrganizationReplica;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.type.Argument;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** identity-service's consumer against a real Kafka broker: events applied once, poison kept, not dropped. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationReplicaTest implements RealServers {
    @Inject
    OrganizationReplica.Store replica;
    @Inject
    JsonMapper json;
    @Inject
    MeterRegistry meters;
    private DataSource dataSource;

    @Inject
    void dataSource(DataSource transactionAware) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(transactionAware);
    }
    @Inject
    io.micronaut.context.ApplicationContext context;

    private KafkaProducer<String, byte[]> producer;

    @Override
    public String serviceName() {
        return "identity-service";
    }

    @BeforeAll
    void connect() {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.getRequiredProperty("kafka.bootstrap.servers", String.class));
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void close() {
        producer.close();
    }

    private void publish(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TENANT_ORGANIZATION.name(), key, value)).get();
    }

    private byte[] envelope(UUID eventId, OrgId org, String slug) throws Exception {
        var event = new EventEnvelope<>(eventId, Events.ORGANIZATION_CREATED.name(), 1, Instant.now(), org.value(),
                new OrganizationCreated(org, slug, "Name of " + slug));
        return json.writeValueAsBytes(Argument.of(EventEnvelope.class, OrganizationCreated.class), event);
    }

    private double counter(String outcome) {
        var counter = meters.find("gatehouse.events.consumed").tags("consumer", "organization-replica",
                "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() throws Exception {
        var org = new OrgId("org_test" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        byte[] event = envelope(UUID.randomUUID(), org, "dup");
        double appliedBefore = counter("applied");
        double duplicatesBefore = counter("duplicate");

        publish(org.value(), event);
        publish(org.value(), event);
        publish(org.value(), event);

        eventually(() -> counter("duplicate") - duplicatesBefore >= 2);
        assertThat(counter("applied") - appliedBefore).isEqualTo(1);
        assertThat(replica.find(org)).hasValueSatisfying(o -> assertThat(o.slug()).isEqualTo("dup"));
    }

    @Test
    void unreadableRecordsAreDeadLetteredAndLaterEventsStillFlow() throws Exception {
        publish("junk", "{not json".getBytes(StandardCharsets.UTF_8));
        publish("junk", "{\"type\":\"OrganizationCreated\",\"version\":99}".getBytes(StandardCharsets.UTF_8));
        var org = new OrgId("org_after" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        publish(org.value(), envelope(UUID.randomUUID(), org, "after-poison"));

        eventually(() -> replica.find(org).isPresent());
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(
                "select reason from gatehouse_kit.dead_letter where consumer = 'organization-replica' order by id")) {
            var rs = s.executeQuery();
            var reasons = new java.util.ArrayList<String>();
            while (rs.next()) {
                reasons.add(rs.getString(1));
            }
            assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("not JSON"))
                    .anySatisfy(r -> assertThat(r).startsWith("malformed OrganizationCreated"));
        }
    }
}
