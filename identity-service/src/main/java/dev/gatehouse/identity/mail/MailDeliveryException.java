package dev.gatehouse.identity.mail;

/**
 * The SMTP server did not take a message. {@link #permanent()} when trying again cannot help (the server refused the
 * recipient address); otherwise (connection, timeout, 4xx) a later attempt may succeed.
 */
public class MailDeliveryException extends RuntimeException {
    private final boolean permanent;

    public MailDeliveryException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
