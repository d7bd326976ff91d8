package dev.gatehouse.identity.password;

import jakarta.inject.Singleton;

import java.util.Optional;

/** Checks a new password: length in code points, then the breached-password hook. */
@Singleton
public class PasswordPolicy {
    private final PasswordPolicyConfig config;
    private final BreachedPasswordCheck breached;

    public PasswordPolicy(PasswordPolicyConfig config, BreachedPasswordCheck breached) {
        this.config = config;
        this.breached = breached;
    }

    /** Why {@code password} is not acceptable, or empty when it is. */
    public Optional<String> problem(String password) {
        if (password == null) {
            return Optional.of("is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < config.minLength()) {
            return Optional.of("must be at least " + config.minLength() + " characters");
        }
        if (length > config.maxLength()) {
            return Optional.of("must be at most " + config.maxLength() + " characters");
        }
        if (breached.isBreached(password)) {
            return Optional.of("appears in a known data breach; choose another");
        }
        return Optional.empty();
    }

    public int maxLength() {
        return config.maxLength();
    }
}
