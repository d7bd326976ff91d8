package dev.gatehouse.tenant.support;

import dev.gatehouse.devstack.RealServers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code @MicronautTest} (PER_CLASS) of tenant-service against real PostgreSQL and Kafka, with a fresh database,
 * verifying tokens of {@link TestIssuer}.
 */
public interface TenantServers extends RealServers {
    @Override
    default String serviceName() {
        return "tenant-service";
    }

    @Override
    default Map<String, String> getProperties() {
        var properties = new LinkedHashMap<>(RealServers.super.getProperties());
        properties.putAll(TestIssuer.get().properties());
        properties.putAll(extraProperties());
        return properties;
    }

    /** More properties for this test class. */
    default Map<String, String> extraProperties() {
        return Map.of();
    }
}
