package dev.gatehouse.identity.pages;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReturnToTest {
    @ParameterizedTest
    @ValueSource(strings = {"/device", "/device?user_code=BCDF-GHJK"})
    void theHostedDevicePageIsAllowed(String value) {
        assertThat(ReturnTo.safe(value)).isEqualTo(value);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "https://evil.example/device", "//evil.example/device", "/\\evil.example",
            "\\\\evil.example", "/device/../login", "/login/../device", "javascript:alert(1)", "/devicex",
            "/device?next=https://evil.example", "/device#frag", "device", "/DEVICE", " /device",
            "/device?user_code=%2F%2Fevil", "http:/device", "/%2F%2Fevil.example"})
    void anythingElseIsDropped(String value) {
        assertThat(ReturnTo.safe(value)).isNull();
    }
}
