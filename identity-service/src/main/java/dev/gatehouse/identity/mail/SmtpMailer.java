package dev.gatehouse.identity.mail;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Sends one {@link MailMessage} over SMTP with Angus Mail (Jakarta Mail), synchronously, on the caller's thread:
 * {@link MailDispatcher} and the invitation consumer call it off the request threads. One connection per message:
 * mail is rare enough here that pooling would only add state.
 */
@Singleton
public class SmtpMailer {
    private final MailConfig config;
    private final Session session;
    private final InternetAddress from;
    private final MeterRegistry meters;

    public SmtpMailer(MailConfig config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
        this.session = Session.getInstance(properties(config));
        try {
            this.from = new InternetAddress(config.from(), true);
        } catch (AddressException e) {
            throw new dev.gatehouse.kit.app.InvalidConfigurationException(java.util.List.of(
                    "gatehouse.identity.mail.from: not an address: " + e.getMessage()));
        }
    }

    static Properties properties(MailConfig config) {
        String protocol = config.security() == MailConfig.Security.TLS ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        var props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put(prefix + "host", config.host());
        props.put(prefix + "port", String.valueOf(config.port()));
        props.put(prefix + "connectiontimeout", String.valueOf(config.connectTimeout().toMillis()));
        props.put(prefix + "timeout", String.valueOf(config.timeout().toMillis()));
        props.put(prefix + "writetimeout", String.valueOf(config.timeout().toMillis()));
        props.put(prefix + "auth", String.valueOf(config.username() != null && !config.username().isBlank()));
        switch (config.security()) {
            case STARTTLS -> {
                // required, not opportunistic: a server without STARTTLS is refused instead of sent to in clear
                props.put(prefix + "starttls.enable", "true");
                props.put(prefix + "starttls.required", "true");
                props.put(prefix + "ssl.checkserveridentity", "true");
            }
            case TLS -> {
                props.put(prefix + "ssl.enable", "true");
                props.put(prefix + "ssl.checkserveridentity", "true");
            }
            case NONE -> {
            }
        }
        return props;
    }

    /**
     * Delivers {@code message} to the server.
     *
     * @throws MailDeliveryException when the server did not take it; never carries the body
     */
    public void send(MailMessage message) {
        try {
            MimeMessage mime = toMime(message);
            String protocol = config.security() == MailConfig.Security.TLS ? "smtps" : "smtp";
            try (Transport transport = session.getTransport(protocol)) {
                if (config.username() != null && !config.username().isBlank()) {
                    transport.connect(config.host(), config.port(), config.username(), config.password());
                } else {
                    transport.connect();
                }
                transport.sendMessage(mime, mime.getAllRecipients());
            }
            meters.counter("gatehouse.identity.mail.sent", "kind", message.kind()).increment();
        } catch (AddressException e) {
            throw new MailDeliveryException("invalid recipient address for " + message, true, null);
        } catch (MessagingException e) {
            meters.counter("gatehouse.identity.mail.failed", "kind", message.kind()).increment();
            throw new MailDeliveryException("SMTP " + config.host() + ":" + config.port() + " did not take "
                    + message + ": " + describe(e), isPermanent(e), null);
        }
    }

    private MimeMessage toMime(MailMessage message) throws MessagingException {
        var mime = new MimeMessage(session);
        mime.setFrom(from);
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress(message.to(), true));
        mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(new Date());
        var text = new MimeBodyPart();
        text.setText(message.text(), StandardCharsets.UTF_8.name(), "plain");
        var html = new MimeBodyPart();
        html.setText(message.html(), StandardCharsets.UTF_8.name(), "html");
        var alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges();
        return mime;
    }

    /** A 5xx refusal of the recipient cannot succeed later; everything else (connection, 4xx) may. */
    static boolean isPermanent(MessagingException e) {
        for (Exception cause = e; cause != null; cause = cause instanceof MessagingException m ? m.getNextException() : null) {
            if (cause instanceof SMTPAddressFailedException failed) {
                return failed.getReturnCode() >= 500;
            }
            if (cause instanceof SMTPSendFailedException failed && failed.getReturnCode() >= 500) {
                Address[] invalid = failed.getInvalidAddresses();
                return invalid != null && invalid.length > 0;
            }
            if (cause instanceof SendFailedException failed && failed.getInvalidAddresses() != null
                    && failed.getInvalidAddresses().length > 0 && failed.getValidSentAddresses() == null) {
                if (failed.getNextException() == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The server's own words, without the message (which can hold a code). */
    private static String describe(MessagingException e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
