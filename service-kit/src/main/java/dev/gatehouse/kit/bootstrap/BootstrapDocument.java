package dev.gatehouse.kit.bootstrap;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The declarative bootstrap file ({@code GATEHOUSE_BOOTSTRAP_FILE}, docs/bootstrap.md): one YAML document that every
 * service reads at startup, each applying its own sections idempotently (session-service {@code clients},
 * tenant-service {@code organizations}..., identity-service {@code users}). Parsed safely (plain maps, lists and
 * scalars only; no YAML tags), strictly (unknown keys are errors, so a typo never silently drops a setting), and
 * problems are reported together as a configuration error that stops startup: first everything wrong with the file's
 * shape (sections, version), then, once that is right, everything wrong with the entries of a section.
 */
public final class BootstrapDocument {
    public static final int VERSION = 1;
    /** Every top-level section any service understands. */
    public static final Set<String> SECTIONS = Set.of("version", "clients", "organizations", "roles", "groups",
            "memberships", "users", "ssoConnections");
    private static final long MAX_BYTES = 1024 * 1024;
    private final Path path;
    private final Map<String, Object> root;

    private BootstrapDocument(Path path, Map<String, Object> root) {
        this.path = path;
        this.root = root;
    }

    /** Reads and checks the file; {@link InvalidConfigurationException} with every problem when it is not valid. */
    public static BootstrapDocument load(Path path) {
        String text;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw invalid(path, "is larger than 1 MiB");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw invalid(path, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        Object parsed;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            parsed = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw invalid(path, "is not valid YAML: " + message);
        }
        if (parsed == null) {
            parsed = Map.of("version", VERSION);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw invalid(path, "must be a YAML mapping at the top level");
        }
        List<String> problems = new ArrayList<>();
        for (Object key : map.keySet()) {
            if (!SECTIONS.contains(String.valueOf(key))) {
                problems.add(prefix(path) + "unknown section '" + key + "' (known: " + SECTIONS + ")");
            }
        }
        if (!Integer.valueOf(VERSION).equals(map.get("version"))) {
            problems.add(prefix(path) + "version: must be " + VERSION);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) map;
        return new BootstrapDocument(path, root);
    }

    public Path path() {
        return path;
    }

    /**
     * The entries of a list section (e.g. {@code clients}), each converted by {@code reader}; problems of every
     * entry are gathered and thrown together.
     */
    public <T> List<T> section(String name, Function<Entry, T> reader) {
        Object value = root.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(path, name + ": must be a list");
        }
        List<String> problems = new ArrayList<>();
        List<T> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = prefix(path) + name + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                problems.add(where + ": must be a mapping");
                continue;
            }
            Entry entry = new Entry(where, map);
            T item = reader.apply(entry);
            problems.addAll(entry.problems);
            if (entry.problems.isEmpty()) {
                result.add(item);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return result;
    }

    private static String prefix(Path path) {
        return "bootstrap file " + path + ": ";
    }

    private static InvalidConfigurationException invalid(Path path, String problem) {
        return new InvalidConfigurationException(List.of(prefix(path) + problem));
    }

    /** One entry of a section, read field by field; a reader records problems instead of throwing. */
    public static final class Entry {
        private final String where;
        private final Map<?, ?> values;
        private final List<String> problems = new ArrayList<>();
        private final java.util.Set<String> read = new java.util.HashSet<>();

        Entry(String where, Map<?, ?> values) {
            this.where = where;
            this.values = values;
        }

        public String string(String key) {
            read.add(key);
            Object value = values.get(key);
            if (value == null) {
                return null;
            }
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                return String.valueOf(value);
            }
            problem(key, "must be a string");
            return null;
        }

        public Integer integer(String key) {
            read.add(key);
            Object value = values.get(key);
            if (value == null) {
                return null;
            }
            if (value instanceof Integer i) {
                return i;
            }
            problem(key, "must be a whole number");
            return null;
        }

        public Boolean bool(String key) {
            read.add(key);
            Object value = values.get(key);
            if (value == null) {
                return null;
            }
            if (value instanceof Boolean b) {
                return b;
            }
            problem(key, "must be true or false");
            return null;
        }

        public List<String> strings(String key) {
            read.add(key);
            Object value = values.get(key);
            if (value == null) {
                return null;
            }
            if (!(value instanceof List<?> list)) {
                problem(key, "must be a list");
                return null;
            }
            List<String> result = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    problem(key, "must be a list of strings");
                    return null;
                }
                result.add(s);
            }
            return result;
        }

        /**
         * A secret given as exactly one of {@code <key>} (literal; for development), {@code <key>Env} (the name
         * of an environment variable) or {@code <key>File} (a path, e.g. a mounted Kubernetes secret).
         */
        public String secret(String key, Function<String, String> environment) {
            String literal = string(key);
            String env = string(key + "Env");
            String file = string(key + "File");
            int given = (literal == null ? 0 : 1) + (env == null ? 0 : 1) + (file == null ? 0 : 1);
            if (given > 1) {
                problem(key, "give one of " + key + ", " + key + "Env and " + key + "File");
                return null;
            }
            if (env != null) {
                String value = environment.apply(env);
                if (value == null || value.isEmpty()) {
                    problem(key + "Env", "environment variable " + env + " is not set");
                }
                return value;
            }
            if (file != null) {
                try {
                    return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                } catch (IOException | RuntimeException e) {
                    problem(key + "File", "cannot read " + file);
                    return null;
                }
            }
            return literal;
        }

        /** Records a problem with {@code key} (the message says what is wrong, never a secret value). */
        public void problem(String key, String message) {
            problems.add(where + "." + key + ": " + message);
        }

        /** Call after reading every field: any key not read is unknown (a typo) and a problem. */
        public void rejectUnknownKeys() {
            for (Object key : values.keySet()) {
                if (!read.contains(String.valueOf(key))) {
                    problems.add(where + ": unknown key '" + key + "'");
                }
            }
        }
    }
}
