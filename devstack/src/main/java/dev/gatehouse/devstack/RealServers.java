package dev.gatehouse.devstack;

import io.micronaut.test.support.TestPropertyProvider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Implemented by a {@code @MicronautTest} class (with {@code @TestInstance(PER_CLASS)}) to run against real
 * PostgreSQL, Redis and Kafka from {@link TestServers}: a fresh database per test class, the shared Redis and broker.
 */
public interface RealServers extends TestPropertyProvider {

    /** The service under test, e.g. {@code tenant-service}: it names the test database. */
    String serviceName();

    @Override
    default Map<String, String> getProperties() {
        var properties = new LinkedHashMap<String, String>();
        TestServers.get().micronautProperties(serviceName()).forEach((k, v) -> properties.put(k, String.valueOf(v)));
        return properties;
    }
}
