package dev.gatehouse.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;

/**
 * The credentials identity-service creates its first administrator with in the dev platform.
 *
 * <p>Why generated and stored: a fixed well-known password would end up working on any machine running the dev stack;
 * a new one per start would not match the admin already stored in the database. So the password is generated once
 * (24 URL-safe characters from {@link SecureRandom}), kept in {@code <data>/bootstrap-admin.properties} (mode 600) and
 * reused. {@code GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME} / {@code GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD} override it.
 *
 * @param username the admin's username
 * @param password the admin's password
 */
public record BootstrapAdmin(String username, String password) {

    public static final String ENV_USERNAME = "GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME";
    public static final String ENV_PASSWORD = "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD";
    public static final String FILE_NAME = "bootstrap-admin.properties";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Environment values if set, else the stored file, else freshly generated and stored credentials. */
    public static BootstrapAdmin resolve(Path dataDir, Map<String, String> env) throws IOException {
        String envUser = blankToNull(env.get(ENV_USERNAME));
        String envPassword = blankToNull(env.get(ENV_PASSWORD));
        if (envPassword != null) {
            return new BootstrapAdmin(envUser != null ? envUser : "admin", envPassword);
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
            String storedPassword = blankToNull(props.getProperty("password"));
            if (storedPassword != null) {
                String storedUser = blankToNull(props.getProperty("username"));
                return new BootstrapAdmin(envUser != null ? envUser : storedUser != null ? storedUser : "admin",
                        storedPassword);
            }
        }
        BootstrapAdmin admin = new BootstrapAdmin(envUser != null ? envUser : "admin", generatePassword());
        admin.store(file);
        return admin;
    }

    /** 24 characters from the URL-safe base64 alphabet, from {@link SecureRandom}. */
    public static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private void store(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // created concurrently; overwrite below
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Properties props = new Properties();
        props.setProperty("username", username);
        props.setProperty("password", password);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            props.store(writer, "Gatehouse dev platform: bootstrap administrator (generated once, keep private)");
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "BootstrapAdmin[username=" + username + ", password=***]";
    }
}
