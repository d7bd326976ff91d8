package dev.gatehouse.tenant;

import dev.gatehouse.kit.app.GatehouseApplication;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "Gatehouse tenant-service", version = "v1",
        description = "Organizations (tenants) and, as the platform grows, memberships, roles, groups, invitations, "
                + "domains and API keys. Errors are application/problem+json (RFC 9457)."))
public final class TenantServiceApplication {
    private TenantServiceApplication() {
    }

    public static void main(String[] args) {
        GatehouseApplication.run("tenant-service", TenantServiceApplication.class, args);
    }
}
