package dev.gatehouse.identity.signin;

import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * {@code password} for a user who has one, and for an address nobody has (so that the answer does not tell the
 * two apart); users without a password fall through to the next rule (e.g. magic codes) or the default.
 */
@Singleton
public class PasswordDiscoveryRule implements DiscoveryRule {
    public static final int ORDER = 100;

    @Override
    public Optional<Discovery> decide(Request request) {
        return request.hasPassword() || request.user().isEmpty() ? Optional.of(Discovery.of(Discovery.PASSWORD))
                : Optional.empty();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
