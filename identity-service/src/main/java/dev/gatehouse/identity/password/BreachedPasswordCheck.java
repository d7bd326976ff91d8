package dev.gatehouse.identity.password;

/**
 * The breached-password hook of the password policy: a deployment plugs in a check (a k-anonymity range query
 * against a breach corpus, a local list) as a bean implementing this interface; the default accepts everything.
 */
public interface BreachedPasswordCheck {
    /** Whether {@code password} is known from a breach. Must not log or store it. */
    boolean isBreached(String password);
}
