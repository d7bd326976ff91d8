package dev.gatehouse.session;

import dev.gatehouse.kit.app.GatehouseApplication;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "Gatehouse session-service", version = "v1",
        description = "The OAuth 2.1 / OpenID Connect authorization server. OAuth endpoints answer RFC 6749 errors; "
                + "other APIs answer application/problem+json (RFC 9457)."))
public final class SessionServiceApplication {
    private SessionServiceApplication() {
    }

    public static void main(String[] args) {
        GatehouseApplication.run("session-service", SessionServiceApplication.class, args);
    }
}
