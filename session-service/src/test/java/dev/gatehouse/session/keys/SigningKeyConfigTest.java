package dev.gatehouse.session.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.kit.app.GatehouseApplication;
import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key settings that cannot work stop startup with a line that names the key; only dev and test default the KEK. */
class SigningKeyConfigTest {
    private static final String RANDOM_KEK = "q2vA3Zq8m8a3nE1hXgq7m0C2mYqkKZl8JbM2xw0c1rU=";

    private static Map<String, Object> properties(Map<String, Object> overrides) {
        var properties = new HashMap<>(TestServers.get().micronautProperties("session-service"));
        properties.putAll(overrides);
        return properties;
    }

    /** Like {@link GatehouseApplication#configurationProblems}, in the named environments only. */
    private static List<String> problems(Map<String, Object> properties, String... environments) {
        ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environments(environments)
                .properties(properties).build();
        try {
            context.start();
            return List.of();
        } catch (RuntimeException e) {
            List<String> problems = GatehouseApplication.describe(e);
            return problems.isEmpty() ? List.of("not a configuration problem: " + e) : problems;
        } finally {
            try {
                context.stop();
            } catch (RuntimeException e) {
                // half started
            }
        }
    }

    @Test
    void onlyTheDevAndTestEnvironmentsDefaultTheKekToThePublishedDevKek() {
        for (String environment : List.of("production", "dev", "test")) {
            try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                    .environments(environment).build()) {
                Environment loaded = context.getEnvironment().start();
                assertThat(loaded.getProperty("gatehouse.session.keys.kek", String.class)).as(environment)
                        .isEqualTo(environment.equals("production") ? Optional.empty() : Optional.of(KeyEncryption.DEV_KEK));
            }
        }
    }

    @Test
    void withoutAKekTheServiceDoesNotStart() {
        assertThat(problems(properties(Map.of("gatehouse.session.keys.kek", "")), "test")).contains(
                "gatehouse.session.keys.kek: must be set (or gatehouse.session.keys.kek-file): base64 of 32 random"
                        + " bytes, e.g. `openssl rand -base64 32`; see docs/keys.md");
    }

    @Test
    void thePublishedDevKekIsRefusedOutsideDevAndTest() {
        var config = new SigningKeysConfig(SigningAlgorithm.RS256, KeyEncryption.DEV_KEK, null, Duration.ofDays(30),
                Duration.ofHours(1), Duration.ofHours(24), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(1));
        try (ApplicationContext production = ApplicationContext.builder().deduceEnvironment(false)
                .environments("production").build();
             ApplicationContext dev = ApplicationContext.builder().deduceEnvironment(false).environments("dev").build()) {
            assertThatThrownBy(() -> new KeyEncryption(config, production.getEnvironment()))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("gatehouse.session.keys.kek: is the published dev-only KEK; outside the dev and test"
                            + " environments set a random one (docs/keys.md)");
            assertThat(new KeyEncryption(config, dev.getEnvironment()).kekId()).hasSize(16);
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            gatehouse.session.keys.kek              | c2hvcnQ=         | gatehouse.session.keys.kek: must decode to exactly 32 bytes (AES-256), not 5
            gatehouse.session.keys.kek              | not base64 at all! | gatehouse.session.keys.kek: must be base64 (of 32 random bytes)
            gatehouse.session.keys.kek-file         | /nonexistent/kek | gatehouse.session.keys.kek-file: set either gatehouse.session.keys.kek or gatehouse.session.keys.kek-file, not both
            gatehouse.session.keys.algorithm        | HS256            | gatehouse.session.keys.algorithm: 'HS256' is not a valid SigningAlgorithm
            gatehouse.session.keys.reload-interval  | 1h               | gatehouse.session.keys.reload-interval: reload-interval (PT1H) plus jwks-max-age (PT5M) must be shorter than publish-ahead (PT1H)
            gatehouse.session.keys.jwks-max-age     | 2h               | gatehouse.session.keys.reload-interval: reload-interval (PT30S) plus jwks-max-age (PT2H) must be shorter than publish-ahead (PT1H)
            gatehouse.session.keys.publish-ahead    | 31d              | gatehouse.session.keys.publish-ahead: must be shorter than rotation-period (PT720H)
            """)
    void aBadSettingNamesItsKey(String key, String value, String problem) {
        // the test environment's dev KEK is set, so kek-file alone is "both"
        assertThat(problems(properties(Map.of(key, value)), "test")).contains(problem);
    }

    @Test
    void theKekCanComeFromAMountedSecretFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("kek"), RANDOM_KEK + "\n");
        var properties = properties(Map.of("gatehouse.session.keys.kek", "",
                "gatehouse.session.keys.kek-file", file.toString()));
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environments("test")
                .properties(properties).start()) {
            assertThat(context.getBean(KeyEncryption.class).kekId())
                    .isEqualTo(new KeyEncryption(Base64.getDecoder().decode(RANDOM_KEK)).kekId());
            assertThat(context.getBean(TokenSigner.class).activeKid()).startsWith("key_");
        }
        properties.put("gatehouse.session.keys.kek-file", dir.resolve("missing").toString());
        assertThat(problems(properties, "test")).contains("gatehouse.session.keys.kek-file: cannot read "
                + dir.resolve("missing") + " (NoSuchFileException)");
    }

    @Test
    void es256IsSelectable() throws Exception {
        var properties = properties(Map.of("gatehouse.session.keys.algorithm", "ES256"));
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environments("test")
                .properties(properties).start()) {
            String token = context.getBean(TokenSigner.class).sign(new JWTClaimsSet.Builder().subject("u").build(),
                    JOSEObjectType.JWT);
            var jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            var published = com.nimbusds.jose.jwk.JWKSet.parse(context.getBean(SigningKeys.class).jwks().json());
            var key = (ECKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key.getCurve().getName()).isEqualTo("P-256");
            assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key))).isTrue();
        }
    }
}
