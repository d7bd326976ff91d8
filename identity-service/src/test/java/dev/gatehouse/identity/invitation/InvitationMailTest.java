package dev.gatehouse.identity.invitation;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.EventType;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.tenant.InvitationCreated;
import dev.gatehouse.contract.event.tenant.InvitationReissued;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.devstack.Ports;
import dev.gatehouse.devstack.RealServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** tenant-service's invitation events, from a real Kafka broker, mailed to a real SMTP server once each. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvitationMailTest implements RealServers {
    private static final int SMTP_PORT = Ports.freePort();
    private final GreenMail greenMail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    @Inject
    JsonMapper json;
    @Inject
    MeterRegistry meters;
    @Inject
    ApplicationContext context;
    private KafkaProducer<String, byte[]> producer;

    @Override
    public String serviceName() {
        return "identity-service";
    }

    @Override
    public Map<String, String> getProperties() {
        var properties = new java.util.LinkedHashMap<>(RealServers.super.getProperties());
        properties.put("gatehouse.identity.mail.host", "127.0.0.1");
        properties.put("gatehouse.identity.mail.port", String.valueOf(SMTP_PORT));
        properties.put("gatehouse.identity.mail.security", "none");
        properties.put("gatehouse.identity.mail.sign-up-url", "https://id.example.com/signup");
        return properties;
    }

    @BeforeAll
    void start() {
        greenMail.start();
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.getRequiredProperty("kafka.bootstrap.servers", String.class));
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() {
        producer.close();
        greenMail.stop();
    }

    private <T> void publish(EventType<T> type, UUID id, String invitationId, OrgId org, T payload) throws Exception {
        var envelope = new EventEnvelope<>(id, type.name(), 1, Instant.now(), org.value(), payload);
        producer.send(new ProducerRecord<>(Topics.TENANT_INVITATION.name(), invitationId,
                json.writeValueAsBytes(Argument.of(EventEnvelope.class, type.payloadType()), envelope))).get();
    }

    private MimeMessage[] mailsTo(String address) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeMessage[]::new);
    }

    private double consumed(String outcome) {
        var counter = meters.find("gatehouse.events.consumed").tags("consumer", InvitationMail.CONSUMER,
                "type", Events.INVITATION_CREATED.name(), "outcome", outcome).counter();
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
    void anInvitationIsMailedOnceHoweverOftenItIsDelivered() throws Exception {
        String invitationId = "inv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String email = invitationId + "@example.com";
        var org = new OrgId("org_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        var created = new InvitationCreated(invitationId, org, "Acme", email, "admin", "admin", "tok-first." + invitationId,
                Instant.now().plus(7, ChronoUnit.DAYS), "usr_admin");
        UUID eventId = UUID.randomUUID();
        double duplicatesBefore = consumed("duplicate");

        publish(Events.INVITATION_CREATED, eventId, invitationId, org, created);
        publish(Events.INVITATION_CREATED, eventId, invitationId, org, created);
        publish(Events.INVITATION_CREATED, eventId, invitationId, org, created);

        eventually(() -> consumed("duplicate") - duplicatesBefore >= 2);
        eventually(() -> mailsTo(email).length >= 1);
        Thread.sleep(300);
        MimeMessage[] mails = mailsTo(email);
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject()).isEqualTo("You are invited to join Acme");
        assertThat(GreenMailUtil.getBody(mails[0]))
                .contains("https://id.example.com/signup?invitation=tok-first." + invitationId);

        // a resend carries a fresh token: mailed again, with the new link
        publish(Events.INVITATION_REISSUED, UUID.randomUUID(), invitationId, org, new InvitationReissued(invitationId,
                org, "Acme", email, "admin", "admin", "tok-second." + invitationId,
                Instant.now().plus(7, ChronoUnit.DAYS), "usr_admin"));
        eventually(() -> mailsTo(email).length == 2);
        assertThat(GreenMailUtil.getBody(mailsTo(email)[1]))
                .contains("https://id.example.com/signup?invitation=tok-second." + invitationId);
    }

    @Test
    void anInvitationWaitsForTheMailServerInsteadOfBeingLost() throws Exception {
        String invitationId = "inv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String email = invitationId + "@example.com";
        var org = new OrgId("org_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        greenMail.stop();
        try {
            double retriesBefore = meters.counter("gatehouse.events.retries", "consumer", InvitationMail.CONSUMER).count();
            publish(Events.INVITATION_CREATED, UUID.randomUUID(), invitationId, org, new InvitationCreated(invitationId,
                    org, "Acme", email, "member", "member", "tok." + invitationId, Instant.now().plus(1, ChronoUnit.DAYS),
                    "usr_admin"));
            eventually(() -> meters.counter("gatehouse.events.retries", "consumer", InvitationMail.CONSUMER).count()
                    > retriesBefore);
        } finally {
            greenMail.start();
        }
        eventually(() -> mailsTo(email).length == 1);
    }

    @Test
    void anExpiredInvitationIsNotMailed() throws Exception {
        String invitationId = "inv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String email = invitationId + "@example.com";
        var org = new OrgId("org_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        double appliedBefore = consumed("applied");
        publish(Events.INVITATION_CREATED, UUID.randomUUID(), invitationId, org, new InvitationCreated(invitationId, org,
                "Acme", email, "member", "member", "tok." + invitationId, Instant.now().minusSeconds(5), "usr_admin"));
        eventually(() -> consumed("applied") > appliedBefore);
        Thread.sleep(200);
        assertThat(mailsTo(email)).isEmpty();
    }
}
