package dev.gatehouse.identity.password;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {
    private final PasswordPolicy policy = new PasswordPolicy(new PasswordPolicyConfig(12, 64),
            password -> password.equals("password1234"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL                          | is required",
            "short                         | must be at least 12 characters",
            "elevenchars                   | must be at least 12 characters",
            "twelve chars                  | OK",
            "😀😀😀😀😀😀😀😀😀😀😀😀            | OK",
            "password1234                  | appears in a known data breach; choose another",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | must be at most 64 characters"})
    void lengthInCodePointsThenTheBreachHook(String password, String expected) {
        assertThat(policy.problem(password).orElse("OK")).isEqualTo(expected);
    }
}
