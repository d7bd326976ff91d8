package dev.gatehouse.devstack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;

/**
 * Where the Gatehouse checkout is, so the launcher finds the service jars and the Kafka broker jars whether it runs
 * as {@code devstack/target/devstack.jar}, from {@code devstack/target/classes} in a test, or from another module's
 * test classpath.
 */
public final class Repo {

    private static final String DEFAULT_VERSION = "0.1.0-SNAPSHOT";

    private Repo() {
    }

    /** The jar or classes directory this class was loaded from, or null when unknown. */
    public static Path codeLocation() {
        try {
            CodeSource source = Repo.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            return Paths.get(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The repository root: the nearest directory above this code's location, then above {@code user.dir}, that holds
     * a {@code pom.xml} and a {@code devstack} directory.
     */
    public static Path root() {
        Path code = codeLocation();
        for (Path start : new Path[] {code, Paths.get(System.getProperty("user.dir")).toAbsolutePath()}) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("devstack"))
                        && Files.isDirectory(dir.resolve("devstack-kafka"))) {
                    return dir;
                }
            }
        }
        throw new IllegalStateException("cannot find the Gatehouse checkout (a directory with pom.xml, devstack/ and"
                + " devstack-kafka/) above " + code + " or " + System.getProperty("user.dir"));
    }

    /** The project version, from the jar manifest (falls back to the version this code was written for). */
    public static String version() {
        String v = Repo.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? DEFAULT_VERSION : v;
    }
}
