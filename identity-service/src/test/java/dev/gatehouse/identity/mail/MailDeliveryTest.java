package dev.gatehouse.identity.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gatehouse.devstack.Ports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mail rendered from the templates and delivered to a real SMTP server (GreenMail). */
class MailDeliveryTest {
    private GreenMail greenMail;

    @AfterEach
    void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private GreenMail start(int port, GreenMailConfiguration configuration) {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(configuration);
        greenMail.start();
        return greenMail;
    }

    private static MailConfig config(int port, String username, String password, int maxAttempts, Duration retryDelay) {
        return new MailConfig("127.0.0.1", port, MailConfig.Security.NONE, username, password,
                "Gatehouse <no-reply@gatehouse.test>", Duration.ofSeconds(2), Duration.ofSeconds(5), maxAttempts,
                retryDelay, "https://id.example.com/signup");
    }

    @Test
    void magicCodeMailCarriesTheCodeInBothBodies() throws Exception {
        int port = Ports.freePort();
        start(port, GreenMailConfiguration.aConfig().withDisabledAuthentication());
        MailConfig config = config(port, null, null, 1, Duration.ofMillis(100));
        var mailer = new SmtpMailer(config, new SimpleMeterRegistry());

        mailer.send(new MailTemplates(config).magicCode("ada@example.com", "493817", Duration.ofMinutes(10)));

        assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Your sign-in code").doesNotContain("493817");
        assertThat(((InternetAddress) received.getFrom()[0]).getAddress()).isEqualTo("no-reply@gatehouse.test");
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("ada@example.com");
        var parts = (MimeMultipart) received.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(GreenMailUtil.getBody(parts.getBodyPart(0))).contains("493817").contains("10 minutes");
        assertThat(GreenMailUtil.getBody(parts.getBodyPart(1))).contains(">493817<");
    }

    @Test
    void invitationMailLinksToTheSignUpPageAndEscapesTheOrganizationName() throws Exception {
        int port = Ports.freePort();
        start(port, GreenMailConfiguration.aConfig().withDisabledAuthentication());
        MailConfig config = config(port, null, null, 1, Duration.ofMillis(100));
        MailMessage message = new MailTemplates(config).invitation("bob@example.com", "<b>Acme</b> & Co", "admin",
                "eyJ.tok+en/x", Instant.parse("2026-12-12T10:00:00Z"));
        new SmtpMailer(config, new SimpleMeterRegistry()).send(message);

        assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("You are invited to join <b>Acme</b> & Co");
        var parts = (MimeMultipart) received.getContent();
        String text = GreenMailUtil.getBody(parts.getBodyPart(0));
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(text).contains("https://id.example.com/signup?invitation=eyJ.tok%2Ben%2Fx")
                .contains("12 December 2026, 10:00 UTC").contains("as admin");
        assertThat(html).contains("href=\"https://id.example.com/signup?invitation=eyJ.tok%2Ben%2Fx\"")
                .contains("&lt;b&gt;Acme&lt;/b&gt; &amp; Co").doesNotContain("<b>Acme</b>");
        assertThat(message.toString()).doesNotContain("eyJ");
    }

    @Test
    void credentialsAreSentWhenConfiguredAndABadPasswordIsRefused() throws Exception {
        int port = Ports.freePort();
        start(port, GreenMailConfiguration.aConfig().withUser("mailer@gatehouse.test", "mailer", "s3cret"));
        MailConfig good = config(port, "mailer", "s3cret", 1, Duration.ofMillis(100));
        new SmtpMailer(good, new SimpleMeterRegistry())
                .send(new MailTemplates(good).magicCode("ada@example.com", "111222", Duration.ofMinutes(10)));
        assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();

        MailConfig bad = config(port, "mailer", "wrong", 1, Duration.ofMillis(100));
        assertThatThrownBy(() -> new SmtpMailer(bad, new SimpleMeterRegistry())
                .send(new MailTemplates(bad).magicCode("ada@example.com", "333444", Duration.ofMinutes(10))))
                .isInstanceOf(MailDeliveryException.class)
                .satisfies(e -> assertThat(((MailDeliveryException) e).permanent()).isFalse())
                .hasMessageNotContaining("333444");
    }

    @Test
    void theDispatcherRetriesUntilTheServerIsUp() throws Exception {
        int port = Ports.freePort();
        MailConfig config = config(port, null, null, 6, Duration.ofMillis(200));
        var meters = new SimpleMeterRegistry();
        var dispatcher = new MailDispatcher(new SmtpMailer(config, meters), config, meters);
        try {
            dispatcher.submit(new MailTemplates(config).magicCode("ada@example.com", "555666", Duration.ofMinutes(10)));
            Thread.sleep(500);
            assertThat(meters.counter("gatehouse.identity.mail.failed", "kind", "magic-code").count()).isPositive();

            start(port, GreenMailConfiguration.aConfig().withDisabledAuthentication());
            assertThat(greenMail.waitForIncomingEmail(10_000, 1)).isTrue();
            assertThat(GreenMailUtil.getBody(greenMail.getReceivedMessages()[0])).contains("555666");
        } finally {
            dispatcher.stop();
        }
    }

    @Test
    void theDispatcherGivesUpAfterMaxAttempts() throws Exception {
        int port = Ports.freePort();
        MailConfig config = config(port, null, null, 2, Duration.ofMillis(50));
        var meters = new SimpleMeterRegistry();
        var dispatcher = new MailDispatcher(new SmtpMailer(config, meters), config, meters);
        try {
            dispatcher.submit(new MailTemplates(config).magicCode("ada@example.com", "777888", Duration.ofMinutes(10)));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (meters.counter("gatehouse.identity.mail.given_up", "kind", "magic-code").count() < 1) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(meters.counter("gatehouse.identity.mail.failed", "kind", "magic-code").count()).isEqualTo(2);
        } finally {
            dispatcher.stop();
        }
    }

    @Test
    void starttlsIsRequiredNotOpportunistic() throws Exception {
        int port = Ports.freePort();
        start(port, GreenMailConfiguration.aConfig().withDisabledAuthentication());
        MailConfig config = new MailConfig("127.0.0.1", port, MailConfig.Security.STARTTLS, null, null,
                "no-reply@gatehouse.test", Duration.ofSeconds(2), Duration.ofSeconds(5), 1, Duration.ofMillis(100),
                "https://id.example.com/signup");
        assertThat(SmtpMailer.properties(config)).containsEntry("mail.smtp.starttls.required", "true");
        // GreenMail offers no STARTTLS (or one with a certificate nobody trusts): refused, nothing sent in clear text
        assertThatThrownBy(() -> new SmtpMailer(config, new SimpleMeterRegistry())
                .send(new MailTemplates(config).magicCode("ada@example.com", "121212", Duration.ofMinutes(10))))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageNotContaining("121212");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void theMaskedRecipientHidesTheLocalPart() {
        assertThat(MailMessage.mask("ada.lovelace@example.com")).isEqualTo("a***@example.com");
        assertThat(MailMessage.mask("nobody")).isEqualTo("***");
    }
}
