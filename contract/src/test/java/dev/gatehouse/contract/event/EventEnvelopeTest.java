package dev.gatehouse.contract.event;

import dev.gatehouse.contract.event.tenant.OrganizationCreated;
import dev.gatehouse.contract.id.OrgId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventEnvelopeTest {
    private static ApplicationContext context;
    private static JsonMapper json;

    @BeforeAll
    static void start() {
        context = ApplicationContext.run();
        json = context.getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void organizationCreatedHasTheDocumentedWireShape() throws Exception {
        var id = UUID.fromString("3f1c1b1e-8f43-4c6e-9a35-0b1c6f2f7d10");
        var envelope = new EventEnvelope<>(id, "OrganizationCreated", 1, Instant.parse("2026-11-23T10:15:30Z"),
                "org_1", new OrganizationCreated(new OrgId("org_1"), "acme", "Acme"));

        String wire = json.writeValueAsString(Argument.of(EventEnvelope.class, OrganizationCreated.class), envelope);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = json.readValue(wire, Map.class);

        assertThat(tree).containsOnlyKeys("id", "type", "version", "occurredAt", "tenantId", "payload");
        assertThat(tree).containsEntry("id", id.toString()).containsEntry("type", "OrganizationCreated")
                .containsEntry("version", 1).containsEntry("occurredAt", "2026-11-23T10:15:30Z")
                .containsEntry("tenantId", "org_1");
        assertThat(tree.get("payload")).isEqualTo(Map.of("organizationId", "org_1", "slug", "acme", "displayName", "Acme"));

        EventEnvelope<OrganizationCreated> back = json.readValue(wire,
                Argument.of(EventEnvelope.class, OrganizationCreated.class));
        assertThat(back).isEqualTo(envelope);
    }

    @Test
    void consumersIgnoreFieldsAddedLaterInTheSameVersion() throws Exception {
        String wire = """
                {"id":"3f1c1b1e-8f43-4c6e-9a35-0b1c6f2f7d10","type":"OrganizationCreated","version":1,
                 "occurredAt":"2026-11-23T10:15:30Z","tenantId":"org_1","addedLater":true,
                 "payload":{"organizationId":"org_1","slug":"acme","displayName":"Acme","logoUrl":"https://x"}}""";
        EventEnvelope<OrganizationCreated> envelope = json.readValue(wire,
                Argument.of(EventEnvelope.class, OrganizationCreated.class));
        assertThat(envelope.payload().slug()).isEqualTo("acme");
    }

    @Test
    void anEnvelopeNeedsIdTypeTimeAndPayload() {
        assertThatThrownBy(() -> new EventEnvelope<>(null, "T", 1, Instant.EPOCH, null, "p"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new EventEnvelope<>(UUID.randomUUID(), "T", 0, Instant.EPOCH, null, "p"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topicNamesFollowTheConvention() {
        assertThat(Topics.ALL).allSatisfy(t -> assertThat(t.name()).matches("gatehouse\\.[a-z]+\\.[a-z-]+\\.v\\d+"));
        assertThatThrownBy(() -> new Topic("organizations", 1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Events.byName("OrganizationCreated")).contains(Events.ORGANIZATION_CREATED);
        assertThat(Events.ALL).allSatisfy(t -> assertThat(t.name()).matches("[A-Z][a-zA-Z]+[a-z]ed(In|Out)?"));
    }
}
