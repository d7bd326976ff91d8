package dev.gatehouse.gateway.limit;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

/**
 * One named rate-limit policy, {@code gatehouse.gateway.rate-limits.policies.<name>}: a rate per client IP, per
 * signed-in user, per API key and per API key group, each written like {@code 100/1m} or {@code 10/1s burst 40}. An
 * absent rate means no bucket of that kind. A group's own policy from tenant-service (the API key's
 * {@code rateLimit}) replaces {@code group}.
 *
 * @param name   the policy's name
 * @param ip     per client address (every request, signed in or not)
 * @param user   per user (JWT and cookie principals)
 * @param apiKey per API key
 * @param group  per API key group, when tenant-service sets no limit on the group
 */
@EachProperty(RateLimitConfig.PREFIX + ".policies")
public record RateLimitPolicyConfig(@Parameter String name, @Nullable String ip, @Nullable String user,
                                    @Nullable String apiKey, @Nullable String group) {

    public RateLimitPolicyConfig {
        ip = check(name, "ip", ip);
        user = check(name, "user", user);
        apiKey = check(name, "api-key", apiKey);
        group = check(name, "group", group);
    }

    private static String check(String name, String key, String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        try {
            Rate.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(RateLimitConfig.PREFIX + ".policies." + name + "." + key + ": "
                    + e.getMessage());
        }
        return spec;
    }

    @Nullable
    Rate ipRate() {
        return ip == null ? null : Rate.parse(ip);
    }

    @Nullable
    Rate userRate() {
        return user == null ? null : Rate.parse(user);
    }

    @Nullable
    Rate apiKeyRate() {
        return apiKey == null ? null : Rate.parse(apiKey);
    }

    @Nullable
    Rate groupRate() {
        return group == null ? null : Rate.parse(group);
    }
}
