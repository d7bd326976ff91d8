package dev.gatehouse.session.session;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.tenant.MembershipRemoved;
import dev.gatehouse.kit.inbox.EventHandlers;
import dev.gatehouse.kit.inbox.EventSubscription;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user removed from an organization loses their sessions in it: {@code MembershipRemoved} from tenant-service
 * revokes them (each with {@code SessionRevoked}, reason {@code membership_removed}), once per event, in the inbox
 * transaction.
 */
@Factory
public class MembershipRevocations {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipRevocations.class);

    @Bean
    @Singleton
    EventSubscription membershipRevocationsSubscription(SessionService sessions) {
        return new EventSubscription("membership-revocations", Topics.TENANT_MEMBERSHIP, EventHandlers.builder()
                .on(Events.MEMBERSHIP_REMOVED, event -> revoke(sessions, event))
                .build());
    }

    private static void revoke(SessionService sessions, EventEnvelope<MembershipRemoved> event) {
        MembershipRemoved removed = event.payload();
        int revoked = sessions.revokeAll(removed.userId().value(), removed.organizationId().value(),
                "membership_removed");
        if (revoked > 0) {
            LOG.info("revoked {} session(s) of user {} in {}: membership removed", revoked, removed.userId(),
                    removed.organizationId());
        }
    }
}
