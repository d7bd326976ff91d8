package dev.gatehouse.gateway.pipeline;

import io.micronaut.http.HttpRequest;
import io.micronaut.management.endpoint.EndpointDefaultConfiguration;
import jakarta.inject.Singleton;

/**
 * Tells requests on the management port ({@code endpoints.all.port}: health, prometheus, JWKS, {@code /openapi.yml})
 * from public ones; the pipeline filters let the former through untouched.
 */
@Singleton
public class ManagementPort {
    private final Integer port;

    public ManagementPort(EndpointDefaultConfiguration endpoints) {
        this.port = endpoints.getPort().orElse(null);
    }

    /** Whether {@code request} arrived on the management port (the local port of its connection). */
    public boolean carries(HttpRequest<?> request) {
        return port != null && request.getServerAddress().getPort() == port;
    }
}
