package dev.gatehouse.session.api;

import dev.gatehouse.contract.event.Topics;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tenant-service's MembershipRemoved, as it arrives on Kafka (here delivered twice, as at-least-once delivery may),
 * revokes the user's sessions in that organization and no others.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MembershipRemovalTest extends ApiServerTest {

    @Test
    void removingAMembershipRevokesTheUsersSessionsInThatOrganizationOnly() throws Exception {
        TestClient web = webClient();
        String user = userId();
        String org = "org_" + UUID.randomUUID().toString().substring(0, 8);
        var inOrg = openSession(web.id(), user, org, USER_SCOPES, "tokens");
        var elsewhere = openSession(web.id(), user, "org_other", USER_SCOPES, "tokens");
        var otherUser = openSession(web.id(), userId(), org, USER_SCOPES, "tokens");

        String eventId = UUID.randomUUID().toString();
        String envelope = """
                {"id":"%s","type":"MembershipRemoved","version":1,"occurredAt":"%s","tenantId":"%s",
                 "payload":{"organizationId":"%s","userId":"%s"}}""".formatted(eventId, Instant.now(), org, org, user);
        publish(org + ":" + user, envelope);
        publish(org + ":" + user, envelope);

        var rs = resourceServer(API);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && Boolean.TRUE.equals(json(introspect(
                (String) inOrg.get("accessToken"), rs)).get("active"))) {
            Thread.sleep(200);
        }
        assertThat(json(introspect((String) inOrg.get("accessToken"), rs))).containsEntry("active", false);
        assertThat(json(refresh((String) inOrg.get("refreshToken"), web))).containsEntry("error", "invalid_grant");
        // the same user elsewhere, and another member here, keep their sessions
        assertThat(json(introspect((String) elsewhere.get("accessToken"), rs))).containsEntry("active", true);
        assertThat(json(introspect((String) otherUser.get("accessToken"), rs))).containsEntry("active", true);
        assertThat(refresh((String) elsewhere.get("refreshToken"), web).statusCode()).isEqualTo(200);
    }

    private void publish(String key, String value) throws Exception {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.getApplicationContext()
                .getProperty("kafka.bootstrap.servers", String.class).orElseThrow());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TENANT_MEMBERSHIP.name(), key, value)).get();
        }
    }

}
