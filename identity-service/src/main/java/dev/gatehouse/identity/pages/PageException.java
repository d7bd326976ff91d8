package dev.gatehouse.identity.pages;

import io.micronaut.http.HttpStatus;

/**
 * A page that cannot go on: rendered as the error page with its status and a message for people (never internal
 * details). {@code retryHref} offers a way back when there is one.
 */
public final class PageException extends RuntimeException {
    private final HttpStatus status;
    private final String title;
    private final String retryHref;

    public PageException(HttpStatus status, String title, String message, String retryHref) {
        super(message, null, false, false);
        this.status = status;
        this.title = title;
        this.retryHref = retryHref;
    }

    public static PageException csrf() {
        return new PageException(HttpStatus.FORBIDDEN, "This form has expired",
                "For your security the form could not be accepted. Go back, reload the page and try again.", null);
    }

    public static PageException badRequest(String message) {
        return new PageException(HttpStatus.BAD_REQUEST, "Something is wrong with this link", message, null);
    }

    public static PageException expired(String message, String retryHref) {
        return new PageException(HttpStatus.GONE, "This sign-in has expired", message, retryHref);
    }

    public static PageException unavailable() {
        return new PageException(HttpStatus.SERVICE_UNAVAILABLE, "Please try again",
                "We could not complete this step just now. Please try again in a moment.", null);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String retryHref() {
        return retryHref;
    }
}
