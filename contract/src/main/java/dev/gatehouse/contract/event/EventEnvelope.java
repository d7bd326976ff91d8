package dev.gatehouse.contract.event;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The one envelope every Gatehouse event travels in, on every topic.
 *
 * <p>Consumers deduplicate by {@link #id()}: delivery is at least once (transactional outbox → Kafka), so the same
 * envelope may arrive more than once, but it is applied once. Inside one {@link #version()} of a {@link #type()} the
 * payload only ever gains fields; a consumer ignores fields it does not know.
 *
 * @param id         unique per event; the idempotency key
 * @param type       {@code <Aggregate><PastVerb>}, e.g. {@code OrganizationCreated}
 * @param version    payload schema version of this type
 * @param occurredAt when the state change committed
 * @param tenantId   the organization the event belongs to, or null for platform-wide events
 * @param payload    the event itself
 * @param <T>        payload type
 */
@Serdeable
public record EventEnvelope<T>(UUID id, String type, int version, Instant occurredAt, String tenantId, T payload) {
    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
    }
}
