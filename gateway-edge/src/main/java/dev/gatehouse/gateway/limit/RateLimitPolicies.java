package dev.gatehouse.gateway.limit;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteTable;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which buckets a request draws from: its route's policy (the route entry's {@code rate-limit}, else
 * {@code gatehouse.gateway.rate-limits.routes.<id>}, else {@code default-policy}) applied to the client IP and to the
 * principal (user, API key and its groups). Checked at startup: a route naming an unknown policy fails it.
 */
@Context
@Singleton
public class RateLimitPolicies {
    private final RateLimitConfig config;
    private final Map<String, Policy> policies;
    private final GroupRateLimits groups;

    /** A policy with its rates parsed; null rates mean no bucket of that kind. */
    record Policy(String name, @Nullable Rate ip, @Nullable Rate user, @Nullable Rate apiKey, @Nullable Rate group) {
    }

    public RateLimitPolicies(RateLimitConfig config, Collection<RateLimitPolicyConfig> policies, RouteTable routes,
                             Optional<GroupRateLimits> groups) {
        this.config = config;
        this.policies = policies.stream().map(p -> new Policy(p.name(), p.ipRate(), p.userRate(), p.apiKeyRate(),
                p.groupRate())).collect(Collectors.toUnmodifiableMap(Policy::name, Function.identity()));
        this.groups = groups.orElse((principal, group) -> Optional.empty());
        for (GatewayRoute route : routes.routes()) {
            String name = policyName(route);
            if (name != null && !this.policies.containsKey(name) && !name.equals(config.defaultPolicy())) {
                throw new ConfigurationException("gatehouse.gateway.routes (" + route.id() + ").rate-limit: no policy '"
                        + name + "' under " + RateLimitConfig.PREFIX + ".policies");
            }
        }
        config.routes().forEach((id, name) -> {
            if (!this.policies.containsKey(name)) {
                throw new ConfigurationException(RateLimitConfig.PREFIX + ".routes." + id + ": no policy '" + name
                        + "' under " + RateLimitConfig.PREFIX + ".policies");
            }
        });
    }

    @Nullable
    private String policyName(GatewayRoute route) {
        if (route.rateLimit() != null && !route.rateLimit().isBlank()) {
            return route.rateLimit();
        }
        return config.routes().getOrDefault(route.id(), config.defaultPolicy());
    }

    /** The buckets of one request; empty when its policy limits nothing. */
    List<RateLimiter.Limit> limits(GatewayRoute route, String clientIp, @Nullable GatewayPrincipal principal) {
        String name = policyName(route);
        Policy policy = name == null ? null : policies.get(name);
        if (policy == null) {
            return List.of();
        }
        List<RateLimiter.Limit> limits = new ArrayList<>(3);
        if (policy.ip() != null) {
            limits.add(new RateLimiter.Limit("ip", name, clientIp, policy.ip()));
        }
        if (principal != null) {
            switch (principal.kind()) {
                case USER -> add(limits, "user", name, principal.subject(), policy.user());
                case SERVICE -> add(limits, "user", name, "client:" + principal.subject(), policy.user());
                case API_KEY -> {
                    add(limits, "key", name, principal.subject(), policy.apiKey());
                    for (String group : principal.groups()) {
                        Rate rate = groups.policy(principal, group).map(Rate::of).orElse(policy.group());
                        add(limits, "group", name, group, rate);
                    }
                }
            }
        }
        return limits;
    }

    private static void add(List<RateLimiter.Limit> limits, String kind, String policy, String subject,
                            @Nullable Rate rate) {
        if (rate != null) {
            limits.add(new RateLimiter.Limit(kind, policy, subject, rate));
        }
    }
}
