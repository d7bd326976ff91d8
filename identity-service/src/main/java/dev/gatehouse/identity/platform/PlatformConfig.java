package dev.gatehouse.identity.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.net.URI;

/**
 * Where session-service and tenant-service are, and identity-service's service client there, under
 * {@code gatehouse.identity.platform}. The client (e.g. {@code gatehouse-identity} of the bootstrap file) must be a
 * confidential client_credentials client with scope {@code gatehouse:internal}.
 *
 * @param sessionUrl        session-service's base URL (env {@code GATEHOUSE_IDENTITY_PLATFORM_SESSION_URL})
 * @param tenantUrl         tenant-service's base URL (env {@code GATEHOUSE_IDENTITY_PLATFORM_TENANT_URL})
 * @param clientId          the service client's id
 * @param clientSecret      its secret (env {@code GATEHOUSE_IDENTITY_PLATFORM_CLIENT_SECRET}); never logged
 * @param timeoutMillis     per-request timeout towards both services
 */
@ConfigurationProperties("gatehouse.identity.platform")
public record PlatformConfig(
        @Nullable URI sessionUrl,
        @Nullable URI tenantUrl,
        @Bindable(defaultValue = DEFAULT_CLIENT_ID) String clientId,
        @Nullable String clientSecret,
        @Bindable(defaultValue = "5000") @Min(100) @Max(60_000) int timeoutMillis) {
    public static final String DEFAULT_CLIENT_ID = "gatehouse-identity";

    public URI requireSessionUrl() {
        if (sessionUrl == null) {
            throw new PlatformUnavailableException("gatehouse.identity.platform.session-url is not set");
        }
        return sessionUrl;
    }

    public URI requireTenantUrl() {
        if (tenantUrl == null) {
            throw new PlatformUnavailableException("gatehouse.identity.platform.tenant-url is not set");
        }
        return tenantUrl;
    }

    @Override
    public String toString() {
        return "PlatformConfig[sessionUrl=" + sessionUrl + ", tenantUrl=" + tenantUrl + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "unset" : "***") + "]";
    }
}
