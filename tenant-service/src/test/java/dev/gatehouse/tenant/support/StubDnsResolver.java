package dev.gatehouse.tenant.support;

import dev.gatehouse.tenant.domain.DnsResolver;
import dev.gatehouse.tenant.domain.JndiDnsResolver;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DNS boundary in tests that ask for it ({@code gatehouse.test.dns-stub=true}): TXT records the test publishes,
 * everything else as tenant-service runs it.
 */
@Singleton
@Replaces(JndiDnsResolver.class)
@Requires(property = "gatehouse.test.dns-stub", value = "true")
public class StubDnsResolver implements DnsResolver {
    private final Map<String, List<String>> records = new ConcurrentHashMap<>();
    private volatile boolean down;

    public void publish(String name, String... values) {
        records.put(name, List.of(values));
    }

    public void down(boolean down) {
        this.down = down;
    }

    @Override
    public List<String> txtRecords(String name) {
        if (down) {
            throw new DnsUnavailableException("stub DNS is down", null);
        }
        return records.getOrDefault(name, List.of());
    }
}
