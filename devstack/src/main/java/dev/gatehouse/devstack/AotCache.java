package dev.gatehouse.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JDK 25 ahead-of-time cache per service (JEP 483/514), kept in {@code <data>/aot/<service>.aot}: a service started
 * with it reaches "ready" in about 1.5 s instead of about 4 s, which matters when four of them start on two cores.
 *
 * <p>The cache is made by a one-time training run ({@code -XX:AOTCacheOutput=<file>}: start, wait until ready, send
 * typical requests, SIGTERM; the JVM writes the cache as it exits). It is redone when the file is missing, older than
 * the service jar, or was trained with other JVM options (recorded in {@code <service>.aot.args}). If the JVM later
 * rejects the cache it prints a warning and starts normally. {@code GATEHOUSE_AOT=off} disables all of this.
 */
final class AotCache {

    /** Starts a child process through the platform (so a shutdown stops it too). */
    @FunctionalInterface
    interface Launcher {
        Process launch(ServiceProcess service, List<String> jvmArgs) throws IOException;
    }

    private final Path dir;
    private final boolean enabled;

    AotCache(Path dir, boolean enabled) {
        this.dir = dir;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    Path file(ServiceProcess service) {
        return dir.resolve(service.name() + ".aot");
    }

    private Path argsFile(ServiceProcess service) {
        return dir.resolve(service.name() + ".aot.args");
    }

    /** True when a usable cache exists: present, not older than the jar, trained with the same JVM options. */
    boolean isFresh(ServiceProcess service, List<String> jvmOpts) {
        Path file = file(service);
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(service.jar())) >= 0
                    && Files.isRegularFile(argsFile(service))
                    && Files.readString(argsFile(service), StandardCharsets.UTF_8).trim()
                    .equals(String.join(" ", jvmOpts));
        } catch (IOException e) {
            return false;
        }
    }

    /** JVM arguments for the real run: the options plus {@code -XX:AOTCache=<file>} when a fresh cache exists. */
    List<String> runArgs(ServiceProcess service, List<String> jvmOpts) {
        List<String> args = new ArrayList<>(jvmOpts);
        if (enabled && isFresh(service, jvmOpts)) {
            args.add("-XX:AOTCache=" + file(service));
        }
        return args;
    }

    /**
     * Runs the training run for {@code service}. A service that cannot start fails here ({@link
     * ServiceProcess.ServiceFailure}); a JVM that writes no cache only produces a warning.
     */
    void train(ServiceProcess service, List<String> jvmOpts, Launcher launcher, Duration readyTimeout)
            throws IOException {
        Files.createDirectories(dir);
        Path file = file(service);
        Files.deleteIfExists(file);
        Files.deleteIfExists(argsFile(service));
        Console.line("training startup cache for " + service.name() + " (one-time)");
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(jvmOpts);
        args.add("-XX:AOTCacheOutput=" + file);
        Process process = launcher.launch(service, args);
        try {
            service.awaitReady(process, readyTimeout);
            service.exercise();
        } catch (RuntimeException e) {
            Processes.terminate(process, Duration.ofSeconds(10));
            throw e;
        }
        // SIGTERM: the JVM shuts down normally and writes the cache on the way out (can take a while on 2 cores)
        boolean clean = Processes.terminate(process, Duration.ofSeconds(180));
        if (clean && Files.isRegularFile(file) && Files.size(file) > 0) {
            Files.writeString(argsFile(service), String.join(" ", jvmOpts) + "\n", StandardCharsets.UTF_8);
            Console.step(service.name(), String.format(Locale.ROOT, "startup cache written (%.0f MB, %s)",
                    Files.size(file) / 1048576.0, Console.since(t0)));
        } else {
            Files.deleteIfExists(file);
            Console.step(service.name(), "no startup cache was written (see " + service.logFile()
                    + "); starting without one");
        }
    }
}
