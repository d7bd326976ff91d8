package dev.gatehouse.session.api;

import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.kit.app.GatehouseApplication;
import dev.gatehouse.kit.bootstrap.BootstrapDocument;
import dev.gatehouse.session.bootstrap.ClientBootstrap;
import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bootstrap file's {@code clients} section: applied at startup, idempotent across restarts, updated when it
 * changes, and refused at startup, with every problem listed, when it is not valid.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootstrapFileTest extends ApiServerTest {
    private final Path dir = tempDir();
    private final String billingSecret = randomSecret();
    private final String opsSecret = randomSecret();
    private Map<String, String> properties;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bootstrap-file-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The file the service under test starts with. */
    private String startupFile() throws IOException {
        Path secretFile = write("billing.secret", billingSecret + "\n");
        return write("bootstrap.yml", """
                version: 1
                clients:
                  - clientId: boot-billing
                    type: confidential
                    displayName: Billing
                    grantTypes: [client_credentials]
                    scopes: [invoices.read]
                    audiences: ["https://api.example.com"]
                    accessTokenTtlSeconds: 300
                    secretFile: %s
                  - clientId: boot-ops
                    type: confidential
                    displayName: Ops console
                    grantTypes: [client_credentials]
                    audiences: [gatehouse]
                    platformAdmin: true
                    secret: "%s"
                  - clientId: boot-cli
                    type: public
                    displayName: Flux CLI
                    grantTypes: [device_code, refresh_token]
                    scopes: [openid, offline_access]
                    audiences: ["https://flux.example.test/api"]
                # sections of other services are fine here
                organizations: []
                """.formatted(secretFile, opsSecret)).toString();
    }

    @Override
    public Map<String, String> getProperties() {
        if (properties == null) {
            properties = super.getProperties();
            try {
                properties.put("gatehouse.bootstrap.file", startupFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    @AfterAll
    void deleteFiles() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    private OAuthClient stored(String clientId) {
        return clients.findUncached(clientId).orElseThrow(() -> new AssertionError("no client " + clientId));
    }

    private Map<String, Instant> updatedAt(String... ids) {
        Map<String, Instant> times = new LinkedHashMap<>();
        for (String id : ids) {
            times.put(id, stored(id).updatedAt());
        }
        return times;
    }

    private int clientCredentials(String clientId, String secret) throws Exception {
        return post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient(clientId, secret).basic()).statusCode();
    }

    // --- applied at startup ---

    @Test
    void theDeclaredClientsExistAfterStartupAndTheirSecretsWork() throws Exception {
        OAuthClient billing = stored("boot-billing");
        assertThat(billing.source()).isEqualTo("bootstrap");
        assertThat(billing.displayName()).isEqualTo("Billing");
        assertThat(billing.grantTypes()).containsExactly(GrantType.CLIENT_CREDENTIALS);
        assertThat(billing.audiences()).containsExactly(API);
        assertThat(billing.accessTokenTtl().toSeconds()).isEqualTo(300);
        OAuthClient cli = stored("boot-cli");
        assertThat(cli.isPublic()).isTrue();
        assertThat(cli.secretHash()).isNull();
        assertThat(cli.grantTypes()).containsExactlyInAnyOrder(GrantType.DEVICE_CODE, GrantType.REFRESH_TOKEN);

        // the secret from secretFile (its trailing newline stripped) and the literal one both authenticate
        assertThat(clientCredentials("boot-billing", billingSecret)).isEqualTo(200);
        assertThat(clientCredentials("boot-billing", billingSecret + "\n")).isEqualTo(401);
        var ops = post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient("boot-ops", opsSecret).basic());
        assertThat(ops.statusCode()).isEqualTo(200);

        // the declared platform admin can use the admin API, which shows where the clients came from
        String adminToken = (String) json(ops).get("access_token");
        var read = get("/api/v1/clients/boot-billing", adminToken);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read)).containsEntry("source", "bootstrap");
        assertThat(read.body()).doesNotContain(billingSecret);
    }

    @Test
    void aSecondStartOnTheSameDatabaseChangesNothing() throws Exception {
        var before = updatedAt("boot-billing", "boot-ops", "boot-cli");
        Map<String, Object> same = new HashMap<>(getProperties());
        try (var second = ApplicationContext.builder().properties(same).start()) {
            assertThat(second.getBean(ClientBootstrap.class)).isNotNull();
        }
        assertThat(updatedAt("boot-billing", "boot-ops", "boot-cli")).isEqualTo(before);
        assertThat(clientCredentials("boot-billing", billingSecret)).isEqualTo(200);
    }

    @Test
    void reapplyingIsIdempotentAndAChangedFieldOrSecretIsUpdated() throws Exception {
        Path secretFile = write("change.secret", randomSecret());
        String template = """
                version: 1
                clients:
                  - clientId: boot-change
                    type: confidential
                    displayName: %s
                    grantTypes: [client_credentials]
                    audiences: [urn:change]
                    secretFile: %s
                """;
        String file = write("change.yml", template.formatted("First", secretFile)).toString();
        new ClientBootstrap(file, clients);
        OAuthClient first = stored("boot-change");
        Instant created = first.updatedAt();
        String firstSecret = Files.readString(secretFile);
        assertThat(clientCredentials("boot-change", firstSecret)).isEqualTo(200);

        new ClientBootstrap(file, clients);
        new ClientBootstrap(file, clients);
        assertThat(stored("boot-change").updatedAt()).isEqualTo(created);

        write("change.yml", template.formatted("Second", secretFile));
        new ClientBootstrap(file, clients);
        OAuthClient renamed = stored("boot-change");
        assertThat(renamed.displayName()).isEqualTo("Second");
        assertThat(renamed.updatedAt()).isAfter(created);
        assertThat(renamed.createdAt()).isEqualTo(first.createdAt());
        assertThat(clientCredentials("boot-change", firstSecret)).isEqualTo(200);

        String newSecret = randomSecret();
        Files.writeString(secretFile, newSecret);
        new ClientBootstrap(file, clients);
        assertThat(stored("boot-change").updatedAt()).isAfter(renamed.updatedAt());
        assertThat(clientCredentials("boot-change", newSecret)).isEqualTo(200);
        assertThat(clientCredentials("boot-change", firstSecret)).isEqualTo(401);

        // a client left out of the file is not deleted; the startup file's clients were not touched either
        var others = updatedAt("boot-billing", "boot-ops");
        new ClientBootstrap(write("empty.yml", "version: 1\nclients: []\n").toString(), clients);
        assertThat(clients.findUncached("boot-change")).isPresent();
        assertThat(updatedAt("boot-billing", "boot-ops")).isEqualTo(others);
    }

    @Test
    void aClientFirstCreatedThroughTheApiIsTakenOverByTheFile() throws Exception {
        register(clientSpec("boot-taken", "confidential", List.of("client_credentials"), List.of(),
                List.of("urn:old"), List.of(), List.of(), null, null));
        String secret = randomSecret();
        String file = write("taken.yml", """
                version: 1
                clients:
                  - clientId: boot-taken
                    type: confidential
                    displayName: Taken over
                    grantTypes: [client_credentials]
                    audiences: [urn:new]
                    secret: %s
                """.formatted(secret)).toString();
        new ClientBootstrap(file, clients);
        OAuthClient taken = stored("boot-taken");
        assertThat(taken.source()).isEqualTo("bootstrap");
        assertThat(taken.audiences()).containsExactly("urn:new");
        assertThat(clientCredentials("boot-taken", secret)).isEqualTo(200);
    }

    // --- invalid files stop startup ---

    private List<String> problemsStartingWith(Path file) {
        Map<String, Object> props = new HashMap<>(TestServers.get().micronautProperties(serviceName()));
        props.put("gatehouse.bootstrap.file", file.toString());
        return GatehouseApplication.configurationProblems(props);
    }

    @Test
    void unknownSectionsAndAMissingVersionAreEachReported() throws Exception {
        Path file = write("toplevel.yml", """
                versoin: 1
                client:
                  - clientId: typo
                """);
        String at = "bootstrap file " + file + ": ";
        assertThat(problemsStartingWith(file)).containsExactlyInAnyOrder(
                at + "unknown section 'versoin' (known: " + BootstrapDocument.SECTIONS
                        + ")",
                at + "unknown section 'client' (known: " + BootstrapDocument.SECTIONS
                        + ")",
                at + "version: must be 1");
        assertThat(problemsStartingWith(write("version2.yml", "version: 2\n")))
                .containsExactly("bootstrap file " + dir.resolve("version2.yml") + ": version: must be 1");
    }

    @Test
    void everyProblemOfEveryClientIsListedAtOnce() throws Exception {
        String shortSecret = "short-secret-XYZZY";
        String publicSecret = randomSecret();
        Path file = write("clients.yml", """
                version: 1
                clients:
                  - clientId: typo
                    type: confidential
                    displayName: Typo
                    grantTypes: [client_credentials]
                    audiences: [urn:a]
                    secret: %1$s
                    redirectUri: https://app.example.com/cb
                  - clientId: short
                    type: confidential
                    displayName: Short
                    grantTypes: [client_credentials]
                    audiences: [urn:a]
                    secret: %2$s
                  - clientId: public-with-secret
                    type: public
                    displayName: Public
                    grantTypes: [authorization_code]
                    redirectUris: [https://app.example.com/cb]
                    secret: %3$s
                  - clientId: bad-redirect
                    type: public
                    displayName: Bad redirect
                    grantTypes: [authorization_code]
                    redirectUris: [http://app.example.com/cb, "javascript:alert(1)"]
                  - clientId: env
                    type: confidential
                    displayName: Env
                    grantTypes: [client_credentials]
                    audiences: [urn:a]
                    secretEnv: GATEHOUSE_TEST_CERTAINLY_UNSET_VARIABLE
                  - clientId: file
                    type: confidential
                    displayName: File
                    grantTypes: [client_credentials]
                    audiences: [urn:a]
                    secretFile: %4$s
                  - type: public
                    displayName: No id
                    grantTypes: [device_code]
                  - just a string
                  - clientId: two-secrets
                    type: confidential
                    displayName: Two
                    grantTypes: [client_credentials]
                    audiences: [urn:a]
                    secret: %1$s
                    secretFile: %4$s
                  - clientId: wrong-types
                    type: confidential
                    displayName: Types
                    grantTypes: client_credentials
                    audiences: [urn:a]
                    platformAdmin: "yes"
                    accessTokenTtlSeconds: 1h
                    secret: %1$s
                """.formatted(randomSecret(), shortSecret, publicSecret, dir.resolve("missing.secret")));
        String at = "bootstrap file " + file + ": clients";
        var problems = problemsStartingWith(file);

        assertThat(problems).contains(
                at + "[0]: unknown key 'redirectUri'",
                at + "[1].secret: a confidential client needs a secret of at least 32 characters (secret, secretEnv"
                        + " or secretFile)",
                at + "[2].secret: a public client has no secret",
                at + "[3].redirectUris[0]: http is only allowed for loopback addresses (127.0.0.1, [::1],"
                        + " localhost)",
                at + "[3].redirectUris[1]: scheme javascript is not allowed",
                at + "[4].secretEnv: environment variable GATEHOUSE_TEST_CERTAINLY_UNSET_VARIABLE is not set",
                at + "[5].secretFile: cannot read " + dir.resolve("missing.secret"),
                at + "[6].clientId: is required",
                at + "[7]: must be a mapping",
                at + "[8].secret: give one of secret, secretEnv and secretFile",
                at + "[9].grantTypes: must be a list",
                at + "[9].platformAdmin: must be true or false",
                at + "[9].accessTokenTtlSeconds: must be a whole number");
        assertThat(problems).allSatisfy(problem -> assertThat(problem).startsWith(at)
                .doesNotContain(shortSecret).doesNotContain(publicSecret));
        // nothing was applied: not even the valid parts of the file
        assertThat(clients.findUncached("typo")).isEmpty();
    }

    @Test
    void anUnreadableOrMalformedFileStopsStartup() throws Exception {
        Path missing = dir.resolve("absent.yml");
        assertThat(problemsStartingWith(missing)).singleElement().asString()
                .startsWith("bootstrap file " + missing + ": cannot be read");
        Path broken = write("broken.yml", "version: 1\nclients: [\n");
        assertThat(problemsStartingWith(broken)).singleElement().asString()
                .startsWith("bootstrap file " + broken + ": is not valid YAML");
        Path tagged = write("tagged.yml", "version: 1\nclients: !!javax.script.ScriptEngineManager [x]\n");
        assertThat(problemsStartingWith(tagged)).singleElement().asString()
                .startsWith("bootstrap file " + tagged + ": is not valid YAML");
        Path duplicate = write("duplicate.yml", "version: 1\nversion: 1\n");
        assertThat(problemsStartingWith(duplicate)).singleElement().asString()
                .startsWith("bootstrap file " + duplicate + ": is not valid YAML");
    }

    @Test
    void aValidFileStartsCleanly() throws Exception {
        assertThat(problemsStartingWith(Path.of(getProperties().get("gatehouse.bootstrap.file")))).isEmpty();
        assertThat(Set.of("boot-billing", "boot-ops", "boot-cli")).allSatisfy(id ->
                assertThat(clients.findUncached(id)).isPresent());
    }
}
