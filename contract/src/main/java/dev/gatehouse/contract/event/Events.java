package dev.gatehouse.contract.event;

import dev.gatehouse.contract.event.session.SessionCreated;
import dev.gatehouse.contract.event.session.SessionRevoked;
import dev.gatehouse.contract.event.tenant.OrganizationCreated;

import java.util.List;
import java.util.Optional;

/** The catalogue of event types: one constant per {@code <Aggregate><PastVerb>}. */
public final class Events {
    public static final EventType<OrganizationCreated> ORGANIZATION_CREATED = new EventType<>(
            "OrganizationCreated", 1, Topics.TENANT_ORGANIZATION, OrganizationCreated.class,
            e -> e.organizationId().value());

    public static final EventType<SessionCreated> SESSION_CREATED = new EventType<>(
            "SessionCreated", 1, Topics.SESSION_SESSION, SessionCreated.class, SessionCreated::sessionId);

    public static final EventType<SessionRevoked> SESSION_REVOKED = new EventType<>(
            "SessionRevoked", 1, Topics.SESSION_SESSION, SessionRevoked.class, SessionRevoked::sessionId);

    public static final List<EventType<?>> ALL = List.of(ORGANIZATION_CREATED, SESSION_CREATED, SESSION_REVOKED);

    private Events() {
    }

    /** Looks up an event type by its wire name. */
    public static Optional<EventType<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
