package dev.gatehouse.gateway.edge;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;

/**
 * CORS, under {@code gatehouse.gateway.cors}: named policies ({@link CorsPolicyConfig}) and, for routes whose entry
 * names no {@code cors} policy, {@code routes.<route-id>: <policy>}.
 *
 * @param routes route id to policy name
 */
@ConfigurationProperties("gatehouse.gateway.cors")
public record CorsConfig(@Nullable Map<String, String> routes) {
    public CorsConfig {
        routes = routes == null ? Map.of() : Map.copyOf(routes);
    }
}
