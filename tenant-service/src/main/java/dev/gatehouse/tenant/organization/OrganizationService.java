package dev.gatehouse.tenant.organization;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.tenant.OrganizationCreated;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.id.Ids;
import dev.gatehouse.kit.outbox.Outbox;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

@Singleton
public class OrganizationService {
    private static final Logger LOG = LoggerFactory.getLogger(OrganizationService.class);
    private final OrganizationRepository organizations;
    private final Outbox outbox;
    private final Clock clock;

    public OrganizationService(OrganizationRepository organizations, Outbox outbox, Clock clock) {
        this.organizations = organizations;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What creating an organization can come to. */
    public sealed interface CreateOutcome permits Created, SlugTaken {
    }

    public record Created(Organization organization) implements CreateOutcome {
    }

    public record SlugTaken(String slug) implements CreateOutcome {
    }

    /** Creates the organization and records {@code OrganizationCreated} in the same transaction. */
    @Transactional
    public CreateOutcome create(String slug, String displayName) {
        var id = new OrgId(Ids.next("org", clock));
        // PostgreSQL keeps microseconds; truncate so that what we return is what a later read returns.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (organizations.insertIfSlugFree(id.value(), slug, displayName, now) == 0) {
            return new SlugTaken(slug);
        }
        outbox.record(Events.ORGANIZATION_CREATED, id, new OrganizationCreated(id, slug, displayName));
        LOG.info("created organization {} ({})", id, slug);
        return new Created(new Organization(id.value(), slug, displayName, now, now));
    }

    @Transactional(readOnly = true)
    public Optional<Organization> find(OrgId id) {
        return organizations.findById(id.value());
    }
}
