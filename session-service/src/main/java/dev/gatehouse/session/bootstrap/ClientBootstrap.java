package dev.gatehouse.session.bootstrap;

import dev.gatehouse.kit.bootstrap.BootstrapDocument;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.ClientSpec;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Applies the {@code clients} section of the bootstrap file at startup, idempotently (a realm import that can run
 * on every start of every replica): each declared client is created, updated to match, or left alone. Clients not
 * in the file are never deleted. An invalid file stops startup with one line per problem.
 */
@Context
@Singleton
@Requires(property = "gatehouse.bootstrap.file")
public class ClientBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(ClientBootstrap.class);
    static final int MIN_SECRET_LENGTH = 32;

    /** A declared client and its secret (null for public clients). */
    record Declared(ClientSpec spec, String secret) {
    }

    public ClientBootstrap(@Value("${gatehouse.bootstrap.file}") String file, ClientRegistry clients) {
        BootstrapDocument document = BootstrapDocument.load(Path.of(file));
        List<Declared> declared = document.section("clients", entry -> read(entry, System::getenv));
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Declared client : declared) {
            outcomes.merge(clients.declare(client.spec(), client.secret()), 1, Integer::sum);
        }
        LOG.info("bootstrap file {}: {} client(s) declared {}", document.path(), declared.size(), outcomes);
    }

    static Declared read(BootstrapDocument.Entry entry, Function<String, String> environment) {
        ClientSpec spec = new ClientSpec(entry.string("clientId"), entry.string("type"), entry.string("displayName"),
                entry.strings("redirectUris"), entry.strings("postLogoutRedirectUris"), entry.strings("grantTypes"),
                entry.strings("scopes"), entry.strings("audiences"), entry.string("resourceAudience"),
                entry.integer("accessTokenTtlSeconds"), entry.integer("refreshIdleTtlSeconds"),
                entry.integer("refreshAbsoluteTtlSeconds"), entry.bool("refreshWithoutOfflineAccess"),
                entry.bool("platformAdmin"));
        String secret = entry.secret("secret", environment);
        entry.rejectUnknownKeys();
        if (spec.clientId() == null) {
            entry.problem("clientId", "is required");
        }
        spec.problems().forEach(p -> entry.problem(p.field(), p.message()));
        if ("confidential".equals(spec.type()) && (secret == null || secret.length() < MIN_SECRET_LENGTH)) {
            entry.problem("secret", "a confidential client needs a secret of at least " + MIN_SECRET_LENGTH
                    + " characters (secret, secretEnv or secretFile)");
        }
        if ("public".equals(spec.type()) && secret != null) {
            entry.problem("secret", "a public client has no secret");
        }
        return new Declared(spec, secret);
    }
}
