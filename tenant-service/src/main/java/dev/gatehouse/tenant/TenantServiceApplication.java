package dev.gatehouse.tenant;

import dev.gatehouse.kit.app.GatehouseApplication;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "Gatehouse tenant-service", version = "v1",
        description = "Organizations (tenants), memberships, roles and permissions, user groups, invitations, "
                + "domains, API keys and tenant provisioning (docs/tenants.md). Errors are application/problem+json "
                + "(RFC 9457); lists are {data, page: {limit, next}}."))
public final class TenantServiceApplication {
    private TenantServiceApplication() {
    }

    public static void main(String[] args) {
        GatehouseApplication.run("tenant-service", TenantServiceApplication.class, args);
    }
}
