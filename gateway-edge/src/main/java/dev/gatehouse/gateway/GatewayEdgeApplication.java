package dev.gatehouse.gateway;

import dev.gatehouse.kit.app.GatehouseApplication;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "Gatehouse gateway-edge", version = "v1",
        description = "The single public entry of the platform. Routes requests by path prefix to identity-service, "
                + "session-service and tenant-service; its own errors are application/problem+json (RFC 9457)."))
public final class GatewayEdgeApplication {
    private GatewayEdgeApplication() {
    }

    public static void main(String[] args) {
        GatehouseApplication.run("gateway-edge", GatewayEdgeApplication.class, args);
    }
}
