package dev.gatehouse.gateway.management;

import dev.gatehouse.kit.http.OpenApiController;
import io.micronaut.context.ExecutionHandleLocator;
import io.micronaut.management.endpoint.EndpointDefaultConfiguration;
import io.micronaut.web.router.DefaultRouteBuilder;
import jakarta.inject.Singleton;

/**
 * Serves the kit's {@code GET /openapi.yml} on the management port. With {@code endpoints.all.port} set, Micronaut
 * binds plain controller routes to the public port only, and on the public port every path belongs to the proxy.
 */
@Singleton
public class ManagementOpenApiRoute extends DefaultRouteBuilder {
    public ManagementOpenApiRoute(ExecutionHandleLocator locator, EndpointDefaultConfiguration endpoints) {
        super(locator);
        endpoints.getPort().ifPresent(port -> {
            GET("/openapi.yml", OpenApiController.class, "openApi").exposedPort(port);
            GET("/internal-jwks.json", InternalJwksController.class, "jwks").exposedPort(port);
        });
    }
}
