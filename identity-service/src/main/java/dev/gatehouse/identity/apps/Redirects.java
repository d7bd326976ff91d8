package dev.gatehouse.identity.apps;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.net.URI;

/** {@code 302 Found} (Micronaut's {@code HttpResponse.redirect} is a 301, which browsers cache). */
public final class Redirects {
    private Redirects() {
    }

    public static <T> MutableHttpResponse<T> found(URI location) {
        return HttpResponse.<T>status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, location.toString());
    }
}
