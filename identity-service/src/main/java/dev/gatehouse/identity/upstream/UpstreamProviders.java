package dev.gatehouse.identity.upstream;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import dev.gatehouse.kit.bootstrap.BootstrapDocument;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every upstream provider of this deployment, from configuration ({@code gatehouse.identity.upstream.providers.*})
 * and the bootstrap file's {@code ssoConnections}. Names are unique across both. Invalid settings stop startup with
 * one line per problem, naming the key.
 */
@Singleton
public class UpstreamProviders {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProviders.class);
    private final Map<String, UpstreamProvider> byName;
    private final Map<String, UpstreamProvider> byOrganization;

    public UpstreamProviders(UpstreamConfig config, List<UpstreamProviderProperties> configured,
                             @Nullable @Property(name = "gatehouse.bootstrap.file") String bootstrapFile,
                             Clock clock) {
        this(config, settings(config, configured, bootstrapFile, System::getenv), clock);
    }

    UpstreamProviders(UpstreamConfig config, List<ProviderSettings> all, Clock clock) {
        ProviderHttp http = new ProviderHttp(config.httpTimeout());
        Map<String, UpstreamProvider> names = new LinkedHashMap<>();
        Map<String, UpstreamProvider> organizations = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ProviderSettings settings : all) {
            UpstreamProvider provider = settings.kind() == ProviderKind.GITHUB
                    ? new GitHubUpstreamProvider(settings, http)
                    : new OidcUpstreamProvider(settings, http, clock, config.discoveryRetry());
            if (names.putIfAbsent(settings.name(), provider) != null) {
                problems.add("upstream provider '" + settings.name() + "' is declared twice");
            }
            if (settings.organization() != null
                    && organizations.putIfAbsent(settings.organization(), provider) != null) {
                problems.add("organization '" + settings.organization() + "' has two SSO connections");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        this.byName = Map.copyOf(names);
        this.byOrganization = Map.copyOf(organizations);
        LOG.info("upstream providers: {}", names.keySet());
    }

    static List<ProviderSettings> settings(UpstreamConfig config, List<UpstreamProviderProperties> configured,
                                           String bootstrapFile, Function<String, String> environment) {
        List<ProviderSettings> all = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (UpstreamProviderProperties properties : configured.stream()
                .sorted(Comparator.comparing(UpstreamProviderProperties::name)).toList()) {
            ProviderSettings settings = properties.toSettings(config.redirectUri());
            for (String problem : settings.problems()) {
                problems.add("gatehouse.identity.upstream.providers." + properties.name() + "."
                        + kebab(problem.substring(0, problem.indexOf(':'))) + problem.substring(problem.indexOf(':')));
            }
            all.add(settings);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        if (bootstrapFile != null && !bootstrapFile.isBlank()) {
            all.addAll(SsoConnectionsSection.read(BootstrapDocument.load(Path.of(bootstrapFile)), config.redirectUri(),
                    environment));
        }
        return all;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** A provider by its name (the {@code {provider}} path segment), deployment-wide or an organization's. */
    public Optional<UpstreamProvider> byName(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The enterprise SSO connection of the organization with this slug. */
    public Optional<UpstreamProvider> forOrganization(String slug) {
        return Optional.ofNullable(slug == null ? null : byOrganization.get(slug));
    }

    public Collection<UpstreamProvider> all() {
        return byName.values();
    }
}
