package dev.gatehouse.identity.signin;

import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.OrderUtil;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Seed 004's discovery: the first {@link DiscoveryRule} that decides, else the configured default method. */
@Singleton
public class SignInDiscovery {
    private final List<DiscoveryRule> rules;
    private final UserDirectory users;
    private final SignInConfig config;

    public SignInDiscovery(List<DiscoveryRule> rules, UserDirectory users, SignInConfig config) {
        List<DiscoveryRule> sorted = new ArrayList<>(rules);
        OrderUtil.sort(sorted);
        this.rules = List.copyOf(sorted);
        this.users = users;
        this.config = config;
    }

    public Discovery discover(String email, @Nullable String platform, HttpRequest<?> request) {
        String normalised = UserDirectory.normaliseEmail(email);
        Optional<User> user = users.findByEmail(normalised);
        boolean hasPassword = user.flatMap(u -> users.passwordHash(u.userId())).isPresent();
        var ask = new DiscoveryRule.Request(normalised, user, hasPassword, platform, request);
        for (DiscoveryRule rule : rules) {
            Optional<Discovery> answer = rule.decide(ask);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        return Discovery.of(config.defaultMethod());
    }
}
