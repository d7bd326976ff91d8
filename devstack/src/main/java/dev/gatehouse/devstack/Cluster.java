package dev.gatehouse.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The four Gatehouse services as child JVMs wired to given PostgreSQL, Redis and Kafka servers: the one place that
 * knows which jar each service is, which database it owns and which environment variables configure it. The dev
 * platform ({@link Platform}) builds its services here; the cluster tests and the startup benchmark also run them.
 */
public final class Cluster implements AutoCloseable {
    public static final List<String> MODULES = List.of("identity-service", "session-service", "tenant-service",
            "gateway-edge");
    public static final List<String> DATABASES = List.of("gatehouse_identity", "gatehouse_session", "gatehouse_tenant");
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** Where the services listen. */
    public record Ports(int gateway, int identity, int session, int tenant, int management) {
        public static Ports free() {
            return new Ports(dev.gatehouse.devstack.Ports.freePort(), dev.gatehouse.devstack.Ports.freePort(),
                    dev.gatehouse.devstack.Ports.freePort(), dev.gatehouse.devstack.Ports.freePort(),
                    dev.gatehouse.devstack.Ports.freePort());
        }
    }

    /**
     * The servers the services use.
     *
     * @param databaseSuffix appended to each service's database name ({@code gatehouse_tenant<suffix>}), so that
     *                       a test cluster gets databases of its own on a shared server; empty for the dev platform
     */
    public record Backends(Postgres postgres, String redisUri, String kafkaBootstrap, String databaseSuffix) {
        /** The databases these services use, created if missing. */
        public List<String> createDatabases() {
            List<String> names = DATABASES.stream().map(db -> db + databaseSuffix).toList();
            names.forEach(postgres::createDatabaseIfMissing);
            return names;
        }
    }

    private final List<ServiceProcess> services;
    private final Map<ServiceProcess, Process> running = new LinkedHashMap<>();

    private Cluster(List<ServiceProcess> services) {
        this.services = services;
    }

    /** The executable jar of each module, built by {@code ./mvnw install}; fails naming the first one missing. */
    public static Map<String, Path> jars(Path repo) {
        Map<String, Path> jars = new LinkedHashMap<>();
        String version = Repo.version();
        for (String module : MODULES) {
            Path jar = repo.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(module + " is not built (" + jar + " is missing). Build with:"
                        + " ./mvnw -DskipTests install   (./gatehouse dev does this for you)");
            }
            jars.put(module, jar);
        }
        return jars;
    }

    /**
     * The four services in start order (gateway last), each with its complete environment.
     *
     * @param baseEnv        environment every service inherits (Gatehouse's own variables are removed from it)
     * @param bootstrapAdmin {@code GATEHOUSE_BOOTSTRAP_ADMIN_*} variables for identity-service, or empty
     */
    public static List<ServiceProcess> services(Ports ports, Map<String, Path> jars, Backends backends,
                                                Map<String, String> baseEnv, Map<String, String> bootstrapAdmin,
                                                Path logs) {
        return List.of(
                new ServiceProcess("identity-service", ports.identity(), ports.identity(), jars.get("identity-service"),
                        env(baseEnv, ports.identity(), backends, "gatehouse_identity", identityEnv(ports, bootstrapAdmin)),
                        logs.resolve("identity-service.log")),
                new ServiceProcess("session-service", ports.session(), ports.session(), jars.get("session-service"),
                        env(baseEnv, ports.session(), backends, "gatehouse_session", Map.of(
                                // effective permissions for the permissions claim
                                "GATEHOUSE_SESSION_TENANT_URL", "http://127.0.0.1:" + ports.tenant())),
                        logs.resolve("session-service.log")),
                new ServiceProcess("tenant-service", ports.tenant(), ports.tenant(), jars.get("tenant-service"),
                        env(baseEnv, ports.tenant(), backends, "gatehouse_tenant", Map.of(
                                // verifies Gatehouse access tokens with session-service's keys
                                "GATEHOUSE_TENANT_AUTH_JWKS_URI",
                                "http://127.0.0.1:" + ports.session() + "/.well-known/jwks.json")),
                        logs.resolve("tenant-service.log")),
                new ServiceProcess("gateway-edge", ports.gateway(), ports.management(), jars.get("gateway-edge"),
                        env(baseEnv, ports.gateway(), backends, null, Map.of(
                                "ENDPOINTS_ALL_PORT", String.valueOf(ports.management()),
                                "GATEHOUSE_GATEWAY_UPSTREAMS_IDENTITY", "http://127.0.0.1:" + ports.identity(),
                                "GATEHOUSE_GATEWAY_UPSTREAMS_SESSION", "http://127.0.0.1:" + ports.session(),
                                "GATEHOUSE_GATEWAY_UPSTREAMS_TENANT", "http://127.0.0.1:" + ports.tenant())),
                        logs.resolve("gateway-edge.log")));
    }

    /** identity-service: the bootstrap admin, and where session-service and tenant-service are (its service client). */
    private static Map<String, String> identityEnv(Ports ports, Map<String, String> bootstrapAdmin) {
        Map<String, String> env = new HashMap<>(bootstrapAdmin);
        env.put("GATEHOUSE_IDENTITY_PLATFORM_SESSION_URL", "http://127.0.0.1:" + ports.session());
        env.put("GATEHOUSE_IDENTITY_PLATFORM_TENANT_URL", "http://127.0.0.1:" + ports.tenant());
        return env;
    }

    private static Map<String, String> env(Map<String, String> base, int port, Backends backends, String database,
                                           Map<String, String> extra) {
        Map<String, String> result = new HashMap<>(base);
        // nothing of ours leaks in from the launcher's environment
        result.keySet().removeIf(k -> k.startsWith("DATASOURCES_") || k.startsWith("GATEHOUSE_GATEWAY_UPSTREAMS_")
                || k.startsWith("GATEHOUSE_BOOTSTRAP_ADMIN_") || k.startsWith("GATEHOUSE_TEST_")
                || k.equals("GATEHOUSE_SESSION_TENANT_URL") || k.equals("GATEHOUSE_TENANT_AUTH_JWKS_URI")
                || k.startsWith("GATEHOUSE_IDENTITY_PLATFORM_")
                || k.equals("ENDPOINTS_ALL_PORT") || k.equals("MICRONAUT_SERVER_PORT"));
        result.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        // a local platform listens on loopback only
        result.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
        if (database != null) {
            Postgres pg = backends.postgres();
            result.put("DATASOURCES_DEFAULT_URL", pg.jdbcUrl(database + backends.databaseSuffix()));
            result.put("DATASOURCES_DEFAULT_USERNAME", pg.user());
            result.put("DATASOURCES_DEFAULT_PASSWORD", pg.password());
        }
        result.put("REDIS_URI", backends.redisUri());
        result.put("KAFKA_BOOTSTRAP_SERVERS", backends.kafkaBootstrap());
        result.put("MICRONAUT_ENVIRONMENTS", "dev");
        result.putAll(extra);
        return result;
    }

    /**
     * Starts the four services (in parallel) and waits until each is ready; on failure stops what started and
     * throws {@link ServiceProcess.ServiceFailure} with the failing service's log tail in the message.
     */
    public static Cluster start(List<ServiceProcess> services, List<String> jvmArgs, Duration readyTimeout)
            throws IOException {
        var cluster = new Cluster(services);
        try {
            for (ServiceProcess service : services) {
                cluster.running.put(service, service.launch(jvmArgs));
            }
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            cluster.running.forEach((service, process) ->
                    ready.add(CompletableFuture.runAsync(() -> service.awaitReady(process, readyTimeout))));
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ServiceProcess.ServiceFailure failure) {
                throw new ServiceProcess.ServiceFailure(failure.getMessage() + "\n" + failure.service().logTail(40),
                        failure.service());
            }
            throw e;
        }
    }

    public ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** Stops every service: SIGTERM, then SIGKILL after the grace period. */
    @Override
    public void close() {
        running.values().forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process process : running.values()) {
            if (!Processes.waitFor(process, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                process.destroyForcibly();
            }
        }
        running.clear();
    }
}
