package dev.gatehouse.contract.event;

import dev.gatehouse.contract.event.tenant.OrganizationCreated;

import java.util.List;
import java.util.Optional;

/** The catalogue of event types: one constant per {@code <Aggregate><PastVerb>}. */
public final class Events {
    public static final EventType<OrganizationCreated> ORGANIZATION_CREATED = new EventType<>(
            "OrganizationCreated", 1, Topics.TENANT_ORGANIZATION, OrganizationCreated.class,
            e -> e.organizationId().value());

    public static final List<EventType<?>> ALL = List.of(ORGANIZATION_CREATED);

    private Events() {
    }

    /** Looks up an event type by its wire name. */
    public static Optional<EventType<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
