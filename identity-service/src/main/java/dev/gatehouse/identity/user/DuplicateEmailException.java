package dev.gatehouse.identity.user;

/** Another user already has the address. */
public class DuplicateEmailException extends RuntimeException {
    public DuplicateEmailException() {
        super("the email address is taken", null, false, false);
    }
}
