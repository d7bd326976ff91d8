package dev.gatehouse.session.device;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User codes (RFC 8628 §6.1) and the device settings, without a server. */
class DeviceUserCodeTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "BCDF-GHJK|BCDFGHJK",
            "bcdf-ghjk|BCDFGHJK",
            "bcdfghjk|BCDFGHJK",
            "' BcDf GhJk '|BCDFGHJK",
            "B-C-D-F-G-H-J-K|BCDFGHJK",
            "BCDF-GHJ|NONE",
            "BCDF-GHJKL|NONE",
            "ABCD-GHJK|NONE",
            "BCD1-GHJK|NONE",
            "BCDF_GHJK|NONE",
            "''|NONE",
            "ſCDF-GHJK|NONE",
            "ＢCDF-GHJK|NONE"})
    void normalisationIgnoresCaseDashesAndSpacesButNothingElse(String typed, String expected) {
        assertThat(UserCodes.normalize(typed)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void tooLongInputAndNullAreRefused() {
        assertThat(UserCodes.normalize("-".repeat(100) + "BCDFGHJK")).isEmpty();
        assertThat(UserCodes.normalize(null)).isEmpty();
    }

    @Test
    void freshCodesUseEveryLetterOfTheAlphabetUniformly() {
        int[] counts = new int[26];
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            String code = UserCodes.next();
            assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
            assertThat(UserCodes.normalize(code)).hasValue(code.replace("-", ""));
            for (char c : code.replace("-", "").toCharArray()) {
                counts[c - 'A']++;
            }
        }
        double expected = draws * 8.0 / 20;
        for (char c : UserCodes.ALPHABET.toCharArray()) {
            // 10% is about nine standard deviations: a skewed draw fails, chance never does
            assertThat((double) counts[c - 'A']).as("count of %s", c).isBetween(expected * 0.9, expected * 1.1);
        }
        for (char vowel : "AEIOUY".toCharArray()) {
            assertThat(counts[vowel - 'A']).isZero();
        }
    }

    @Test
    void unusableLimitsStopStartupNamingTheKey() {
        assertThatThrownBy(() -> new DeviceConfig(0, Duration.ofMinutes(10), 1000, Duration.ofMinutes(1)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("gatehouse.session.device.subject-failures");
        assertThatThrownBy(() -> new DeviceConfig(10, Duration.ofMinutes(10), 1000, Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("gatehouse.session.device.global-window");
        assertThat(new DeviceConfig(10, Duration.ofMinutes(10), 1000, Duration.ofMinutes(1)).subjectFailures())
                .isEqualTo(10);
    }
}
