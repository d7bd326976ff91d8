package dev.gatehouse.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Secrets the local platform's bootstrap file refers to ({@code devstack/bootstrap-dev.yml}), generated once into
 * {@code <data>/dev-secrets.properties} (mode 600) and reused; a variable already in the environment wins. They are
 * handed to every service as environment variables, next to {@code GATEHOUSE_BOOTSTRAP_FILE}.
 */
public final class DevSecrets {
    public static final String FILE_NAME = "dev-secrets.properties";
    /** The platform-admin automation client's secret ({@code gatehouse-admin-cli}). */
    public static final String ADMIN_CLIENT_SECRET = "GATEHOUSE_DEV_ADMIN_CLIENT_SECRET";
    /** identity-service's internal-API client's secret ({@code gatehouse-identity}). */
    public static final String IDENTITY_CLIENT_SECRET = "GATEHOUSE_DEV_IDENTITY_CLIENT_SECRET";
    /** gateway-edge's internal-API client's secret ({@code gatehouse-gateway}: cookie refresh, tenant provisioning). */
    public static final String GATEWAY_CLIENT_SECRET = "GATEHOUSE_DEV_GATEWAY_CLIENT_SECRET";
    static final List<String> NAMES = List.of(ADMIN_CLIENT_SECRET, IDENTITY_CLIENT_SECRET, GATEWAY_CLIENT_SECRET);

    private DevSecrets() {
    }

    /** The dev secrets by variable name: from {@code env}, else the stored file, else generated and stored. */
    public static Map<String, String> resolve(Path dataDir, Map<String, String> env) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        Properties stored = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(reader);
            }
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        boolean changed = false;
        for (String name : NAMES) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                value = stored.getProperty(name);
            }
            if (value == null || value.isBlank()) {
                value = generate();
                stored.setProperty(name, value);
                changed = true;
            }
            secrets.put(name, value);
        }
        if (changed) {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
                stored.store(writer, "Gatehouse dev platform: generated secrets of devstack/bootstrap-dev.yml");
            }
        }
        return secrets;
    }

    /** 256 random bits, base64url. */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
