package dev.gatehouse.kit.outbox;

/** Infrastructure failure while writing or relaying the outbox. */
public class OutboxException extends RuntimeException {
    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
