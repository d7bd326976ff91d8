package dev.gatehouse.kit.inbox;

/** A record that can never be applied, whatever the retries: it goes to the dead-letter table instead. */
public class UnreadableEventException extends RuntimeException {
    public UnreadableEventException(String message) {
        super(message);
    }
}
