package dev.gatehouse.identity.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.inject.Singleton;

/**
 * Hashes human passwords with argon2id (password4j) into PHC strings, and verifies them. The parameters are
 * {@link PasswordHashingConfig}'s; a stored hash made with other parameters still verifies (its own parameters are
 * in the PHC string) and {@link #needsRehash} tells the caller to store a fresh one after a successful sign-in.
 */
@Singleton
public class PasswordHasher {
    private static final int HASH_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private final Argon2Function argon2;
    private final String dummy;

    public PasswordHasher(PasswordHashingConfig config) {
        this.argon2 = Argon2Function.getInstance(config.memoryKib(), config.iterations(), config.parallelism(),
                HASH_BYTES, Argon2.ID);
        // A hash at the current parameters of a password nobody has: verifying against it costs what a real check
        // costs, so an unknown account answers as slowly as a known one.
        this.dummy = hash(java.util.UUID.randomUUID().toString());
    }

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(argon2).getResult();
    }

    /** Constant-time check of {@code password} against a stored PHC string; false for a malformed one. */
    public boolean matches(String password, String phc) {
        try {
            return Password.check(password, phc).with(Argon2Function.getInstanceFromHash(phc));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Spends a real verification's time on a password that has no account (anti-enumeration); always false. */
    public boolean matchesNothing(String password) {
        matches(password, dummy);
        return false;
    }

    /** Whether {@code phc} was made with other parameters (or another algorithm) than the current ones. */
    public boolean needsRehash(String phc) {
        try {
            Argon2Function stored = Argon2Function.getInstanceFromHash(phc);
            return stored.getVariant() != Argon2.ID || stored.getMemory() != argon2.getMemory()
                    || stored.getIterations() != argon2.getIterations()
                    || stored.getParallelism() != argon2.getParallelism()
                    || stored.getOutputLength() != argon2.getOutputLength()
                    || stored.getVersion() != argon2.getVersion();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
