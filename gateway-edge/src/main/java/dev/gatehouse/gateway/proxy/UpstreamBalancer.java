package dev.gatehouse.gateway.proxy;

import dev.gatehouse.gateway.route.GatewayRoute;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Round-robin over the instances of each route's upstream. */
final class UpstreamBalancer {
    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    /** The next instance for {@code route}. */
    URI next(GatewayRoute route) {
        List<URI> instances = route.upstreams();
        if (instances.size() == 1) {
            return instances.getFirst();
        }
        int n = counters.computeIfAbsent(route.id(), id -> new AtomicInteger()).getAndIncrement();
        return instances.get(Math.floorMod(n, instances.size()));
    }
}
