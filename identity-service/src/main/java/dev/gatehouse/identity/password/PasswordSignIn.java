package dev.gatehouse.identity.password;

import dev.gatehouse.identity.signin.SignInEvents;
import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a password for an identifier (email, or a username for seed 001), with the throttle, without revealing
 * whether the account exists: an unknown identifier, a user without a password and a wrong password all cost one
 * argon2id verification and answer {@link Rejected}. A correct password hashed with older parameters is rehashed.
 * Records {@code UserSignInFailed} for every failure ({@code UserSignedIn} is recorded once the session is open).
 */
@Singleton
public class PasswordSignIn {
    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final PasswordThrottle throttle;
    private final SignInEvents events;

    public PasswordSignIn(UserDirectory users, PasswordHasher hasher, PasswordThrottle throttle, SignInEvents events) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.events = events;
    }

    public sealed interface Outcome permits Verified, Rejected, Throttled {
    }

    /** The password is right. */
    public record Verified(User user) implements Outcome {
    }

    /** Wrong identifier or password (indistinguishable on purpose). */
    public record Rejected() implements Outcome {
    }

    /** Too many failures: try again after {@code retryAfter}; {@code locked} for a lockout. */
    public record Throttled(Duration retryAfter, boolean locked) implements Outcome {
    }

    /** Email sign-in (seed 004). */
    public Outcome byEmail(String email, String password, @Nullable String address) {
        return check(email, password, address, "password", users::findByEmail);
    }

    /** Username-or-email sign-in (seed 001's admin login). */
    public Outcome byLogin(String login, String password, @Nullable String address) {
        return check(login, password, address, "admin-password", users::findByLogin);
    }

    private Outcome check(String identifier, String password, @Nullable String address, String method,
                          Function<String, Optional<User>> lookup) {
        PasswordThrottle.Verdict verdict = throttle.check(identifier, address);
        if (!verdict.allowed()) {
            events.failed(lookup.apply(identifier).map(User::userId).orElse(null), identifier, method,
                    verdict.locked() ? "locked" : "throttled", address);
            return new Throttled(verdict.retryAfter(), verdict.locked());
        }
        Optional<User> user = lookup.apply(identifier);
        Optional<String> hash = user.flatMap(u -> users.passwordHash(u.userId()));
        boolean ok = hash.isPresent() ? hasher.matches(password, hash.get()) : hasher.matchesNothing(password);
        if (!ok) {
            throttle.failed(identifier, address);
            events.failed(user.map(User::userId).orElse(null), identifier, method,
                    user.isPresent() && hash.isEmpty() ? "no_password" : "invalid_credentials", address);
            return new Rejected();
        }
        throttle.succeeded(identifier);
        if (hasher.needsRehash(hash.get())) {
            users.rehashPassword(user.get().userId(), hasher.hash(password));
        }
        return new Verified(user.get());
    }
}
