package dev.gatehouse.identity;

import dev.gatehouse.kit.app.GatehouseApplication;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "Gatehouse identity-service", version = "v1",
        description = "Users, credentials and sign-in flows. Errors are application/problem+json (RFC 9457)."))
public final class IdentityServiceApplication {
    private IdentityServiceApplication() {
    }

    public static void main(String[] args) {
        GatehouseApplication.run("identity-service", IdentityServiceApplication.class, args);
    }
}
