package dev.gatehouse.identity.mail;

import java.util.Objects;

/**
 * One rendered mail. {@link #toString()} leaves the bodies out: they carry codes and invitation tokens.
 *
 * @param kind    what it is, for logs and metrics ({@code magic-code}, {@code invitation})
 * @param to      the recipient address
 * @param subject the subject line
 * @param html    the HTML body
 * @param text    the plain-text body
 */
public record MailMessage(String kind, String to, String subject, String html, String text) {
    public MailMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
    }

    /** The recipient for a log line: first letter and domain only. */
    public String maskedRecipient() {
        return mask(to);
    }

    static String mask(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return address.charAt(0) + "***" + address.substring(at);
    }

    @Override
    public String toString() {
        return "MailMessage[kind=" + kind + ", to=" + maskedRecipient() + "]";
    }
}
