package dev.gatehouse.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Gatehouse service run as a child JVM ({@code java <jvm options> -jar <module>/target/<module>-<version>.jar}),
 * with its configuration in environment variables and its stdout/stderr (JSON lines) appended to its log file.
 *
 * <p>Why child processes and not one JVM: the services are separate deployables in production (own config, own
 * classpath, own failure); running them the same way locally catches the same problems, and a service can be killed
 * without taking the others down.
 *
 * @param name       module name, e.g. {@code identity-service}
 * @param port       HTTP port
 * @param healthPort port of the management endpoints ({@code /health}, {@code /prometheus}); equals {@code port}
 *                   unless the service has a separate management port
 * @param jar        the service's executable jar
 * @param env        environment of the child (complete, not added to ours)
 * @param logFile    where its output goes
 */
public record ServiceProcess(String name, int port, int healthPort, Path jar, Map<String, String> env,
                             Path logFile) {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** {@code http://127.0.0.1:<healthPort>/health/readiness}. */
    public String readinessUrl() {
        return "http://127.0.0.1:" + healthPort + "/health/readiness";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + healthPort;
    }

    /** Starts the JVM with {@code jvmArgs} (before {@code -jar}); output is appended to {@link #logFile()}. */
    public Process launch(List<String> jvmArgs) throws IOException {
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        command.add(KafkaBroker.javaBinary());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(Processes.detached(command))
                .directory(logFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * Polls {@link #readinessUrl()} until HTTP 200. Throws {@link ServiceFailure} (with the log tail) if the process
     * dies or {@code timeout} passes.
     */
    public void awaitReady(Process process, Duration timeout) {
        awaitReady(process, timeout, Duration.ofMillis(250));
    }

    /** As {@link #awaitReady(Process, Duration)}, polling every {@code poll} (finer for measuring startup). */
    public void awaitReady(Process process, Duration timeout, Duration poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new ServiceFailure(name + " exited during startup (exit code " + process.exitValue() + ")",
                        this);
            }
            if (isReady()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ServiceFailure(name + " did not become ready within " + timeout.toSeconds()
                        + " s (polling " + readinessUrl() + ")", this);
            }
            Ports.sleep(poll.toMillis());
        }
    }

    /** True when the readiness endpoint answers 200 now. */
    public boolean isReady() {
        return get(readinessUrl()) == 200;
    }

    /**
     * A few typical requests, so an AOT training run loads and links the classes that real use needs (HTTP server,
     * JSON, health, metrics, OpenAPI).
     */
    public void exercise() {
        List<String> urls = new ArrayList<>(List.of(readinessUrl(), managementUrl() + "/health",
                managementUrl() + "/prometheus", baseUrl() + "/openapi.yml"));
        if (healthPort != port) {
            urls.add(managementUrl() + "/openapi.yml");
            urls.add(baseUrl() + "/health/readiness");
        }
        for (int round = 0; round < 5; round++) {
            for (String url : urls) {
                get(url);
            }
        }
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        return FileUtil.tail(logFile, lines);
    }

    /** HTTP status of a GET, or -1 when it could not be sent. */
    static int get(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A service that failed to start or died; carries the service so the log tail can be shown. */
    public static final class ServiceFailure extends RuntimeException {
        private final transient ServiceProcess service;

        public ServiceFailure(String message, ServiceProcess service) {
            super(message);
            this.service = service;
        }

        public ServiceProcess service() {
            return service;
        }
    }
}
