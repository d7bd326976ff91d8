package dev.gatehouse.identity.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.inject.Singleton;

/** Hashes human passwords with argon2id (password4j) into PHC strings, and verifies them. */
@Singleton
public class PasswordHasher {
    private static final int HASH_BYTES = 32;
    private final Argon2Function argon2;

    public PasswordHasher(PasswordHashingConfig config) {
        this.argon2 = Argon2Function.getInstance(config.memoryKib(), config.iterations(), config.parallelism(),
                HASH_BYTES, Argon2.ID);
    }

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(argon2).getResult();
    }

    /** Constant-time check of {@code password} against a stored PHC string. */
    public boolean matches(String password, String phc) {
        return Password.check(password, phc).with(Argon2Function.getInstanceFromHash(phc));
    }
}
