package dev.gatehouse.kit.app;

import io.micronaut.context.env.ActiveEnvironment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourceLoader;
import io.micronaut.core.io.ResourceLoader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Adds {@code gatehouse-kit-defaults.yml} (and {@code gatehouse-kit-defaults-<env>.yml}) beneath every service's own configuration, so that the platform's shared
 * defaults (health, metrics, graceful shutdown, request limits) are written once. Lowest priority: the service's
 * {@code application.yml}, system properties and environment variables all override it.
 */
public final class KitDefaults implements PropertySourceLoader {
    static final String RESOURCE = "gatehouse-kit-defaults";
    /** Below application.yml (which loads at -300 relative to the environment sources). */
    private static final int ORDER = -1_000;

    @Override
    public Optional<PropertySource> load(String resourceName, ResourceLoader resourceLoader) {
        return "application".equals(resourceName) ? source(RESOURCE, ORDER) : Optional.empty();
    }

    /** {@code gatehouse-kit-defaults-<env>.yml} for each active environment, just above the plain defaults. */
    @Override
    public Optional<PropertySource> loadEnv(String resourceName, ResourceLoader resourceLoader,
                                            ActiveEnvironment activeEnvironment) {
        return "application".equals(resourceName)
                ? source(RESOURCE + "-" + activeEnvironment.getName(), ORDER + 1 + activeEnvironment.getPriority())
                : Optional.empty();
    }

    private Optional<PropertySource> source(String name, int order) {
        try (InputStream in = KitDefaults.class.getClassLoader().getResourceAsStream(name + ".yml")) {
            return in == null ? Optional.empty() : Optional.of(PropertySource.of(name, read(name, in), order));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, Object> read(String name, InputStream input) {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(input);
        var flat = new LinkedHashMap<String, Object>();
        if (tree instanceof Map<?, ?> map) {
            flatten("", map, flat);
        }
        return flat;
    }

    @Override
    public Set<String> getExtensions() {
        return Set.of();
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> into) {
        map.forEach((k, v) -> {
            String key = prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
            if (v instanceof Map<?, ?> nested) {
                flatten(key, nested, into);
            } else {
                into.put(key, v);
            }
        });
    }
}
