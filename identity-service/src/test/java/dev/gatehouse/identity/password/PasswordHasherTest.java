package dev.gatehouse.identity.password;

import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.PasswordHashingConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    private final PasswordHasher defaults = new PasswordHasher(new PasswordHashingConfig(19456, 2, 1));
    private final PasswordHasher cheaper = new PasswordHasher(new PasswordHashingConfig(8192, 1, 1));

    @Test
    void aHashOfOtherParametersStillVerifiesAndAsksForARehash() {
        String old = cheaper.hash("correct horse battery staple");
        assertThat(old).startsWith("$argon2id$v=19$m=8192,t=1,p=1$");
        assertThat(defaults.matches("correct horse battery staple", old)).isTrue();
        assertThat(defaults.needsRehash(old)).isTrue();
        String fresh = defaults.hash("correct horse battery staple");
        assertThat(defaults.needsRehash(fresh)).isFalse();
        assertThat(fresh).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void malformedHashesAndUnknownAccountsNeverMatch() {
        assertThat(defaults.matches("x", "not a phc string")).isFalse();
        assertThat(defaults.needsRehash("$2a$10$abcdefghijklmnopqrstuv")).isTrue();
        assertThat(defaults.matchesNothing("anything")).isFalse();
    }
}
