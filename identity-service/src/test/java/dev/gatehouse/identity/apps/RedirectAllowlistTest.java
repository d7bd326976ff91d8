package dev.gatehouse.identity.apps;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectAllowlistTest {
    private final RedirectAllowlist allowlist = new RedirectAllowlist(
            List.of("http://localhost:3000", "https://app.example.com"));

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:3000", "http://localhost:3000/dashboard", "http://LOCALHOST:3000/a?b=c",
            "https://app.example.com/x", "https://app.example.com:443/x", "HTTPS://app.example.com/"})
    void allowedOriginsPass(String url) {
        assertThat(allowlist.check(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.com", "//evil.com", "/\\evil.com", "https:\\\\evil.com",
            "https://app.example.com.evil.com/", "https://app.example.com@evil.com/", "https://evil.com@app.example.com/",
            "javascript:alert(1)", "data:text/html,hi", "http://app.example.com/", "https://app.example.com:8443/",
            "http://localhost:3001/", "http://localhost:3000/#frag", "http://localhost:3000/\r\nLocation: x",
            "http://localhost:3000 /", "relative/path", "", "https://app.example.com\t.evil.com/",
            "http://localhost:3000\u3002evil.com/", "ftp://localhost:3000/"})
    void everythingElseIsRefused(String url) {
        assertThat(allowlist.check(url)).isEmpty();
    }
}
