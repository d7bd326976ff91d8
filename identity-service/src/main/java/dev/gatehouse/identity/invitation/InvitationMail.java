package dev.gatehouse.identity.invitation;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.tenant.InvitationCreated;
import dev.gatehouse.contract.event.tenant.InvitationReissued;
import dev.gatehouse.identity.mail.MailDeliveryException;
import dev.gatehouse.identity.mail.MailMessage;
import dev.gatehouse.identity.mail.MailTemplates;
import dev.gatehouse.identity.mail.SmtpMailer;
import dev.gatehouse.kit.inbox.EventHandlers;
import dev.gatehouse.kit.inbox.EventSubscription;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Mails tenant-service's invitations: consumes {@code InvitationCreated} and {@code InvitationReissued} from
 * {@code gatehouse.tenant.invitation.v1} through the service-kit inbox (consumer {@code invitation-mail}), so a
 * redelivered event is mailed once.
 *
 * <p>The mail is sent on the consumer thread, inside the inbox transaction: when the SMTP server is unreachable the
 * handler throws, nothing commits, and the consumer retries the event with a growing delay until the server takes it.
 * The token travels in the event and the mail only; it is not stored here and never logged. An invitation that
 * expired before it could be sent, or an address the server refuses outright (5xx), is skipped with a log line.
 */
@Factory
@Requires(classes = {TransactionOperations.class, KafkaDefaultConfiguration.class})
public class InvitationMail {
    static final String CONSUMER = "invitation-mail";
    private static final Logger LOG = LoggerFactory.getLogger(InvitationMail.class);

    @Bean
    @Singleton
    EventSubscription invitationMailSubscription(Sender sender) {
        return new EventSubscription(CONSUMER, Topics.TENANT_INVITATION, EventHandlers.builder()
                .on(Events.INVITATION_CREATED, sender::created)
                .on(Events.INVITATION_REISSUED, sender::reissued)
                .build());
    }

    /** Renders and sends one invitation mail. */
    @Singleton
    public static class Sender {
        private final MailTemplates templates;
        private final SmtpMailer mailer;
        private final Clock clock;

        public Sender(MailTemplates templates, SmtpMailer mailer, Clock clock) {
            this.templates = templates;
            this.mailer = mailer;
            this.clock = clock;
        }

        void created(EventEnvelope<InvitationCreated> event) {
            InvitationCreated i = event.payload();
            send(i.invitationId(), i.email(), i.organizationName(), i.role(), i.token(), i.expiresAt());
        }

        void reissued(EventEnvelope<InvitationReissued> event) {
            InvitationReissued i = event.payload();
            send(i.invitationId(), i.email(), i.organizationName(), i.role(), i.token(), i.expiresAt());
        }

        private void send(String invitationId, String email, String organizationName, String role, String token,
                          Instant expiresAt) {
            if (!expiresAt.isAfter(clock.instant())) {
                LOG.info("invitation {} expired before it was mailed; skipped", invitationId);
                return;
            }
            MailMessage message = templates.invitation(email, organizationName, role, token, expiresAt);
            try {
                mailer.send(message);
                LOG.info("invitation {} mailed to {}", invitationId, message.maskedRecipient());
            } catch (MailDeliveryException e) {
                if (e.permanent()) {
                    LOG.warn("invitation {} not mailed, the server refused {}: {}", invitationId,
                            message.maskedRecipient(), e.getMessage());
                    return;
                }
                throw e;
            }
        }
    }
}
