package dev.gatehouse.session.bootstrap;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import dev.gatehouse.kit.bootstrap.BootstrapDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading client entries of the bootstrap file, with a stand-in environment (a JVM cannot set its own). */
class ClientBootstrapReadTest {
    private static final String SECRET = "s3cret-from-the-environment-0123456789";

    @TempDir
    Path dir;

    private List<ClientBootstrap.Declared> read(String yaml, Function<String, String> environment) throws Exception {
        Path file = Files.writeString(dir.resolve("bootstrap.yml"), yaml);
        return BootstrapDocument.load(file).section("clients", entry -> ClientBootstrap.read(entry, environment));
    }

    private List<String> problems(String yaml, Function<String, String> environment) {
        try {
            read(yaml, environment);
        } catch (InvalidConfigurationException e) {
            return e.problems();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no problems");
    }

    @Test
    void secretEnvReadsTheNamedVariable() throws Exception {
        var declared = read("""
                version: 1
                clients:
                  - clientId: admin-cli
                    type: confidential
                    displayName: Admin CLI
                    grantTypes: [client_credentials]
                    audiences: [gatehouse]
                    platformAdmin: true
                    secretEnv: ADMIN_SECRET
                """, Map.of("ADMIN_SECRET", SECRET)::get);
        assertThat(declared).singleElement().satisfies(d -> {
            assertThat(d.secret()).isEqualTo(SECRET);
            assertThat(d.spec().clientId()).isEqualTo("admin-cli");
            assertThat(d.spec().platformAdmin()).isTrue();
        });
    }

    @Test
    void anUnsetOrEmptyVariableIsAProblemNamingItButNoValue() {
        String yaml = """
                version: 1
                clients:
                  - clientId: admin-cli
                    type: confidential
                    displayName: Admin CLI
                    grantTypes: [client_credentials]
                    audiences: [gatehouse]
                    secretEnv: ADMIN_SECRET
                """;
        for (Function<String, String> environment : List.<Function<String, String>>of(name -> null, name -> "")) {
            assertThat(problems(yaml, environment)).anySatisfy(p -> assertThat(p)
                    .endsWith("clients[0].secretEnv: environment variable ADMIN_SECRET is not set"));
        }
        assertThat(problems(yaml, name -> "too-short")).singleElement().asString()
                .endsWith("clients[0].secret: a confidential client needs a secret of at least 32 characters"
                        + " (secret, secretEnv or secretFile)")
                .doesNotContain("too-short");
    }

    @Test
    void aPublicClientMayNotTakeASecretFromTheEnvironmentEither() {
        assertThat(problems("""
                version: 1
                clients:
                  - clientId: cli
                    type: public
                    displayName: CLI
                    grantTypes: [device_code]
                    secretEnv: CLI_SECRET
                """, Map.of("CLI_SECRET", SECRET)::get)).singleElement().asString()
                .endsWith("clients[0].secret: a public client has no secret");
    }

    @Test
    void theDevBootstrapFileIsValid() throws Exception {
        Path dev = Path.of("..", "devstack", "bootstrap-dev.yml");
        assertThat(dev).exists();
        var declared = BootstrapDocument.load(dev).section("clients",
                entry -> ClientBootstrap.read(entry, name -> SECRET));
        assertThat(declared).extracting(d -> d.spec().clientId()).contains("flux-cli", "gatehouse-admin-cli");
    }

    @Test
    void aFileWithoutClientsDeclaresNone() throws Exception {
        assertThat(read("version: 1\n", name -> null)).isEmpty();
        assertThatThrownBy(() -> read("version: 1\nclients: {a: 1}\n", name -> null))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageEndingWith("clients: must be a list");
    }
}
