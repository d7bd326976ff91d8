package dev.gatehouse.session;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The authorization server's own settings: keys must be real, the published dev keys stay in dev and test. */
class ServerConfigTest {
    private static final String RANDOM = "q2vA3Zq8m8a3nE1hXgq7m0C2mYqkKZl8JbM2xw0c1rU=";

    private static ServerConfig config(String issuer, String hashKey, String cookieKey, Duration codeTtl) {
        return new ServerConfig(URI.create(issuer), hashKey, cookieKey, "gatehouse", null, null, codeTtl,
                Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMinutes(10), Duration.ofDays(14), Duration.ofDays(30), null);
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        assertThatThrownBy(() -> config("http://gatehouse.example/", "c2hvcnQ=", "not base64!", Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).containsExactly(
                        "gatehouse.session.issuer: must be an absolute http(s) URL without a trailing slash, query"
                                + " or fragment",
                        "gatehouse.session.authorization-code-ttl: must be positive",
                        "gatehouse.session.hash-key: must decode to at least 32 bytes",
                        "gatehouse.session.cookie-key: must be base64"));
        assertThatThrownBy(() -> config("https://gatehouse.example", null, RANDOM, Duration.ofSeconds(60)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("gatehouse.session.hash-key: must be set");
        assertThatNoException().isThrownBy(() -> config("https://gatehouse.example", RANDOM, RANDOM,
                Duration.ofSeconds(60)));
    }

    @Test
    void thePublishedDevKeysAreRefusedOutsideDevAndTest() {
        ServerConfig published = config("https://gatehouse.example", DevSecretsGuard.DEV_HASH_KEY,
                DevSecretsGuard.DEV_COOKIE_KEY, Duration.ofSeconds(60));
        try (ApplicationContext production = ApplicationContext.builder().deduceEnvironment(false)
                .environments("production").build();
             ApplicationContext dev = ApplicationContext.builder().deduceEnvironment(false).environments("dev").build()) {
            assertThatThrownBy(() -> new DevSecretsGuard(published, production.getEnvironment()))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).containsExactly(
                            "gatehouse.session.hash-key: is the published dev-only key; outside the dev and test"
                                    + " environments set a random one (docs/oauth.md)",
                            "gatehouse.session.cookie-key: is the published dev-only key; outside the dev and test"
                                    + " environments set a random one (docs/oauth.md)"));
            assertThatNoException().isThrownBy(() -> new DevSecretsGuard(published, dev.getEnvironment()));
            assertThatNoException().isThrownBy(() -> new DevSecretsGuard(config("https://gatehouse.example", RANDOM,
                    RANDOM, Duration.ofSeconds(60)), production.getEnvironment()));
        }
    }
}
