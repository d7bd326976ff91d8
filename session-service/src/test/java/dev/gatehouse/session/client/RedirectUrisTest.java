package dev.gatehouse.session.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration and matching rules of redirect URIs (RFC 8252 §7, OAuth 2.1 exact matching). */
class RedirectUrisTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/callback", "https://app.example.com:8443/cb?tenant=a",
            "http://127.0.0.1/callback", "http://127.0.0.1:53682/cb", "http://[::1]/cb", "http://localhost/cb",
            "com.example.app:/oauth2redirect", "gaia://auth/callback"})
    void acceptsHttpsLoopbackAndPrivateUseSchemes(String uri) {
        assertThat(RedirectUris.registrationProblem(uri)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "http://app.example.com/cb | http is only allowed for loopback addresses (127.0.0.1, [::1], localhost)",
            "http://127.0.0.1.evil.example/cb | http is only allowed for loopback addresses (127.0.0.1, [::1], localhost)",
            "http://localhost.evil.example/cb | http is only allowed for loopback addresses (127.0.0.1, [::1], localhost)",
            "http:/127.0.0.1/cb | http is only allowed for loopback addresses (127.0.0.1, [::1], localhost)",
            "https://app.example.com/cb#top | must not have a fragment",
            "https://app.example.com/cb# | must not have a fragment",
            "https://user:pw@app.example.com/cb | must not have user info",
            "javascript:alert(1) | scheme javascript is not allowed",
            "data:text/html,hi | scheme data is not allowed",
            "vbscript:msgbox | scheme vbscript is not allowed",
            "file:///etc/passwd | scheme file is not allowed",
            "JavaScript:alert(1) | scheme must be lower case",
            "HTTPS://app.example.com/cb | scheme must be lower case",
            "https:///cb | must have a host",
            "https:app.example.com | must have a host",
            "/callback | must be absolute",
            "' javascript:alert(1)' | is not a valid URI",
            "https://app.example.com/a b | is not a valid URI",
            "'' | must be 1 to 2000 characters"})
    void refusesWhatCouldLeakACode(String uri, String problem) {
        assertThat(RedirectUris.registrationProblem(uri)).hasValue(problem);
    }

    @ParameterizedTest
    @ValueSource(ints = {2001, 5000})
    void refusesOverlongUris(int length) {
        String uri = "https://app.example.com/" + "a".repeat(length - 24);
        assertThat(RedirectUris.registrationProblem(uri)).hasValue("must be 1 to 2000 characters");
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "https://app.example.com/cb | https://app.example.com/cb | true",
            "https://app.example.com/cb | https://app.example.com/cb/ | false",
            "https://app.example.com/cb | https://app.example.com/cb?x=1 | false",
            "https://app.example.com/cb | https://APP.example.com/cb | false",
            "https://app.example.com/cb | https://app.example.com:443/cb | false",
            "https://app.example.com/cb | https://app.example.com/cb#x | false",
            "https://app.example.com/cb | https://app.example.com/cbx | false",
            "http://127.0.0.1/cb | http://127.0.0.1:61234/cb | true",
            "http://127.0.0.1:8080/cb | http://127.0.0.1:9090/cb | true",
            "http://[::1]/cb | http://[::1]:5000/cb | true",
            "http://127.0.0.1/cb | http://localhost:5000/cb | false",
            "http://127.0.0.1/cb | http://127.0.0.1:5000/other | false",
            "http://127.0.0.1/cb | http://127.0.0.1:5000/cb?x=1 | false",
            "http://127.0.0.1/cb | http://127.0.0.1:5000/cb#x | false",
            "http://127.0.0.1/cb | http://u@127.0.0.1:5000/cb | false",
            "http://127.0.0.1/cb | https://127.0.0.1:5000/cb | false",
            "gaia://auth/callback | gaia://auth/callback | true",
            "gaia://auth/callback | gaia://auth/callback2 | false"})
    void matchesExactlyExceptTheLoopbackPort(String registered, String requested, boolean matches) {
        assertThat(RedirectUris.matches(List.of(registered), requested)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/cb"})
    void nothingMatchesNull(String registered) {
        assertThat(RedirectUris.matches(List.of(registered), null)).isFalse();
        assertThat(RedirectUris.matches(List.of(), registered)).isFalse();
    }
}
