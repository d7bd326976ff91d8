package dev.gatehouse.identity.pages;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A {@link PageException} becomes the error page with its status (403 for CSRF, 400, 410, 503...). */
@Singleton
public class PageExceptionHandler implements ExceptionHandler<PageException, HttpResponse<?>> {
    private final Pages pages;

    public PageExceptionHandler(Pages pages) {
        this.pages = pages;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, PageException exception) {
        return pages.page(request, "pages/error", exception.title())
                .status(exception.status())
                .with("message", exception.getMessage())
                .with("retryHref", exception.retryHref())
                .render();
    }
}
