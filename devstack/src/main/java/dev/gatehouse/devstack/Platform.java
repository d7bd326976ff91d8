package dev.gatehouse.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code devstack platform}: the whole of Gatehouse on one machine, in the foreground, for {@code ./gatehouse dev}
 * and {@code ./gatehouse up}: PostgreSQL, Redis, Kafka, then the four services as child JVMs, each waited for until
 * its readiness endpoint answers 200, then a summary with every URL and the bootstrap admin's credentials.
 *
 * <p>Stopping (SIGTERM/SIGINT, i.e. Ctrl-C or {@code ./gatehouse down}) runs a shutdown hook: services first (SIGTERM,
 * up to 20 s, then SIGKILL), then Kafka, Redis, PostgreSQL. A service that dies while the platform runs takes the
 * platform down with it (exit 1), after printing the end of its log: a half-running platform only confuses.
 *
 * <p>Files under the data directory: {@code postgres/}, {@code kafka/} (data), {@code logs/<service>.log} (JSON lines),
 * {@code logs/postgres.log}, {@code logs/kafka.log}, {@code aot/} (startup caches), {@code bootstrap-admin.properties},
 * {@code run/devstack.pid}, {@code run/ready} (exists while everything is up).
 */
final class Platform {

    /**
     * For the local platform, tuned for startup on a small machine (measured in docs/development.md): -Xms128m saves
     * the startup GCs; C1 only ({@code TieredStopAtLevel=1}) keeps C2 compiler threads from competing with startup on
     * 2 cores and lowers RSS, at the cost of peak throughput, which a dev platform does not need. Production images
     * and benchmarks use their own flags.
     */
    static final List<String> DEFAULT_JAVA_OPTS = List.of("-XX:+UseSerialGC", "-Xms128m", "-Xmx256m",
            "-XX:MaxMetaspaceSize=160m", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);

    private record PortUse(String what, String envVar, int port) {
    }

    private record Child(ServiceProcess service, Process process) {
    }

    private final Path repo;
    private final Path data;
    private final Map<String, String> env;
    private final Object lock = new Object();
    private final List<Child> children = new ArrayList<>();
    private volatile boolean shuttingDown;
    private volatile Infra infra;
    private volatile MailCatcher mailCatcher;
    private final long startNanos = System.nanoTime();

    Platform(Path repo, Path data, Map<String, String> env) {
        this.repo = repo;
        this.data = data.toAbsolutePath().normalize();
        this.env = env;
    }

    /** Runs the platform; returns only on failure (exit code) or when the JVM is shutting down. */
    int run(boolean fresh) throws IOException {
        Path runDir = data.resolve("run");
        Path pidFile = runDir.resolve("devstack.pid");
        Optional<Long> otherPid = runningPid(pidFile);
        if (otherPid.isPresent()) {
            Console.line("ERROR: Gatehouse is already running (pid " + otherPid.get() + ", data " + data
                    + "). Stop it first: ./gatehouse down");
            return 1;
        }

        // configuration, all checked before anything starts
        int gatewayPort = port("GATEHOUSE_PORT_GATEWAY", 8080);
        int identityPort = port("GATEHOUSE_PORT_IDENTITY", 8081);
        int sessionPort = port("GATEHOUSE_PORT_SESSION", 8082);
        int tenantPort = port("GATEHOUSE_PORT_TENANT", 8083);
        int managementPort = port("GATEHOUSE_PORT_MANAGEMENT", 8084);
        int postgresPort = port("GATEHOUSE_PORT_POSTGRES", 15432);
        int redisPort = port("GATEHOUSE_PORT_REDIS", 16379);
        int kafkaPort = port("GATEHOUSE_PORT_KAFKA", 19092);
        int kafkaControllerPort = port("GATEHOUSE_PORT_KAFKA_CONTROLLER", kafkaPort + 1);
        int mailSmtpPort = port("GATEHOUSE_PORT_MAIL_SMTP", 1025);
        int mailWebPort = port("GATEHOUSE_PORT_MAIL_WEB", 8025);
        String pgUrl = blankToNull(env.get("GATEHOUSE_PG_URL"));
        String redisUri = blankToNull(env.get("GATEHOUSE_REDIS_URI"));
        String kafkaBootstrap = blankToNull(env.get("GATEHOUSE_KAFKA_BOOTSTRAP"));
        Duration readyTimeout = Duration.ofSeconds(port("GATEHOUSE_READY_TIMEOUT", 120));
        List<String> javaOpts = javaOpts(env);
        AotCache aot = new AotCache(data.resolve("aot"), !"off".equalsIgnoreCase(env.getOrDefault("GATEHOUSE_AOT", "on")));

        Map<String, Path> jars;
        try {
            jars = Cluster.jars(repo);
        } catch (IllegalStateException e) {
            Console.line("ERROR: " + e.getMessage());
            return 1;
        }
        String version = Repo.version();

        List<PortUse> ports = new ArrayList<>(List.of(
                new PortUse("gateway", "GATEHOUSE_PORT_GATEWAY", gatewayPort),
                new PortUse("identity-service", "GATEHOUSE_PORT_IDENTITY", identityPort),
                new PortUse("session-service", "GATEHOUSE_PORT_SESSION", sessionPort),
                new PortUse("tenant-service", "GATEHOUSE_PORT_TENANT", tenantPort),
                new PortUse("gateway management", "GATEHOUSE_PORT_MANAGEMENT", managementPort)));
        if (pgUrl == null) {
            ports.add(new PortUse("postgres", "GATEHOUSE_PORT_POSTGRES", postgresPort));
        }
        if (redisUri == null) {
            ports.add(new PortUse("redis", "GATEHOUSE_PORT_REDIS", redisPort));
        }
        if (kafkaBootstrap == null) {
            ports.add(new PortUse("kafka", "GATEHOUSE_PORT_KAFKA", kafkaPort));
            ports.add(new PortUse("kafka controller", "GATEHOUSE_PORT_KAFKA_CONTROLLER", kafkaControllerPort));
        }
        ports.add(new PortUse("mail catcher SMTP", "GATEHOUSE_PORT_MAIL_SMTP", mailSmtpPort));
        ports.add(new PortUse("mail catcher page", "GATEHOUSE_PORT_MAIL_WEB", mailWebPort));
        if (!checkPorts(ports)) {
            return 1;
        }

        if (fresh && Files.exists(data)) {
            Console.line("deleting " + data + " (--fresh)");
            FileUtil.deleteRecursively(data);
        }
        Files.createDirectories(runDir);
        Files.createDirectories(data.resolve("logs"));
        Files.deleteIfExists(runDir.resolve("ready"));
        FileUtil.writeAtomically(pidFile, ProcessHandle.current().pid() + "\n");
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "gatehouse-shutdown"));
        Console.line("Gatehouse " + version + " dev platform, data in " + data);

        BootstrapAdmin admin = BootstrapAdmin.resolve(data, env);

        Settings settings = new Settings(data, false,
                postgresPort, pgUrl, nonBlank(env.get("GATEHOUSE_PG_USER"), "postgres"),
                env.getOrDefault("GATEHOUSE_PG_PASSWORD", ""),
                redisPort, redisUri, kafkaPort, kafkaControllerPort, kafkaBootstrap);
        Infra started = new Infra(settings);
        infra = started;
        started.startAll();
        if (started.kafka().isEmbedded()) {
            writePid("kafka", started.kafka().pid());
        }
        mailCatcher = MailCatcher.start(mailSmtpPort, mailWebPort);
        Console.step("mail", "catcher: SMTP on 127.0.0.1:" + mailSmtpPort + ", mails at " + mailCatcher.webUrl());
        long t0 = System.nanoTime();
        var backends = new Cluster.Backends(started.postgres(), started.redis().uri(),
                started.kafka().bootstrapServers(), "");
        backends.createDatabases();
        Console.step("postgres", "databases " + String.join(", ", Cluster.DATABASES) + " ready (" + Console.since(t0) + ")");

        // the dev bootstrap file (unless the caller named one) and the secrets it refers to
        Map<String, String> serviceEnv = new java.util.HashMap<>(env);
        serviceEnv.putIfAbsent("GATEHOUSE_BOOTSTRAP_FILE", repo.resolve("devstack/bootstrap-dev.yml").toString());
        serviceEnv.putAll(DevSecrets.resolve(data, env));
        // identity-service mails to the catcher unless the caller configured a real SMTP server
        if (!serviceEnv.containsKey("GATEHOUSE_IDENTITY_MAIL_HOST")) {
            serviceEnv.put("GATEHOUSE_IDENTITY_MAIL_HOST", "127.0.0.1");
            serviceEnv.put("GATEHOUSE_IDENTITY_MAIL_PORT", String.valueOf(mailSmtpPort));
            serviceEnv.put("GATEHOUSE_IDENTITY_MAIL_SECURITY", "none");
        }
        serviceEnv.putIfAbsent("GATEHOUSE_IDENTITY_MAIL_SIGN_UP_URL", "http://127.0.0.1:" + gatewayPort + "/signup");
        List<ServiceProcess> services = Cluster.services(
                new Cluster.Ports(gatewayPort, identityPort, sessionPort, tenantPort, managementPort), jars,
                backends, serviceEnv, Map.of(BootstrapAdmin.ENV_USERNAME, admin.username(), BootstrapAdmin.ENV_PASSWORD, admin.password()),
                data.resolve("logs"));

        // start the four services in parallel (each: training run if needed, then the real run, then readiness)
        ExecutorService pool = Executors.newFixedThreadPool(services.size(), r -> {
            Thread t = new Thread(r, "gatehouse-service-start");
            t.setDaemon(true);
            return t;
        });
        Map<ServiceProcess, CompletableFuture<Process>> starting = new LinkedHashMap<>();
        for (ServiceProcess service : services) {
            starting.put(service, CompletableFuture.supplyAsync(() -> startService(service, javaOpts, aot,
                    readyTimeout), pool));
        }
        pool.shutdown();
        while (!starting.values().stream().allMatch(CompletableFuture::isDone)) {
            for (var entry : starting.entrySet()) {
                if (entry.getValue().isCompletedExceptionally()) {
                    return reportStartFailure(entry.getKey(), entry.getValue());
                }
            }
            Ports.sleep(200);
        }
        for (var entry : starting.entrySet()) {
            if (entry.getValue().isCompletedExceptionally()) {
                return reportStartFailure(entry.getKey(), entry.getValue());
            }
        }

        Console.raw(summary(services, started, admin));
        FileUtil.writeAtomically(runDir.resolve("ready"), ProcessHandle.current().pid() + "\n");

        // watch the children until the shutdown hook takes over
        while (!shuttingDown) {
            for (var entry : starting.entrySet()) {
                Process process = entry.getValue().join();
                if (!process.isAlive() && !shuttingDown) {
                    ServiceProcess service = entry.getKey();
                    Console.line("ERROR: " + service.name() + " stopped unexpectedly (exit code "
                            + process.exitValue() + "); last 20 lines of " + service.logFile() + ":");
                    Console.raw(service.logTail(20));
                    Console.line("shutting everything down");
                    return 1;
                }
            }
            KafkaBroker broker = started.kafka();
            if (broker != null && broker.isEmbedded() && !broker.isRunning() && !shuttingDown) {
                Console.line("ERROR: Kafka stopped unexpectedly (exit code " + broker.exitCode()
                        + "); last 20 lines of " + broker.logFile() + ":");
                Console.raw(FileUtil.tail(broker.logFile(), 20));
                Console.line("shutting everything down");
                return 1;
            }
            Ports.sleep(1000);
        }
        return 0;
    }

    private Process startService(ServiceProcess service, List<String> javaOpts, AotCache aot, Duration timeout) {
        try {
            if (aot.enabled() && !aot.isFresh(service, javaOpts)) {
                aot.train(service, javaOpts, this::launch, timeout);
            }
            List<String> args = aot.enabled() ? aot.runArgs(service, javaOpts) : javaOpts;
            boolean cached = args.stream().anyMatch(a -> a.startsWith("-XX:AOTCache="));
            long t0 = System.nanoTime();
            Process process = launch(service, args);
            Console.step(service.name(), "starting (pid " + process.pid() + (cached ? ", startup cache" : "") + ")");
            service.awaitReady(process, timeout);
            Console.step(service.name(), "ready on " + service.baseUrl() + " (" + Console.since(t0) + ")");
            return process;
        } catch (IOException e) {
            throw new ServiceProcess.ServiceFailure("cannot start " + service.name() + ": " + e.getMessage(), service);
        }
    }

    /** Starts a child through the registry, so the shutdown hook stops it; refuses once shutdown has begun. */
    private Process launch(ServiceProcess service, List<String> jvmArgs) throws IOException {
        synchronized (lock) {
            if (shuttingDown) {
                throw new IOException("shutting down");
            }
            Process process = service.launch(jvmArgs);
            children.add(new Child(service, process));
            writePid(service.name(), process.pid());
            return process;
        }
    }

    private int reportStartFailure(ServiceProcess service, CompletableFuture<Process> future) {
        if (shuttingDown) {
            return 1;
        }
        Throwable error;
        try {
            future.join();
            return 0;
        } catch (RuntimeException e) {
            error = e.getCause() != null ? e.getCause() : e;
        }
        Console.line("ERROR: " + error.getMessage());
        if (error instanceof ServiceProcess.ServiceFailure failure && failure.service() != null) {
            service = failure.service();
        }
        Console.line("last 20 lines of " + service.logFile() + ":");
        Console.raw(service.logTail(20));
        Console.line("shutting everything down");
        return 1;
    }

    /** The shutdown hook: services, then Kafka, Redis, PostgreSQL; then the run files. */
    private void shutdown() {
        List<Child> snapshot;
        synchronized (lock) {
            shuttingDown = true;
            snapshot = new ArrayList<>(children);
        }
        Console.line("stopping Gatehouse");
        List<Child> alive = snapshot.stream().filter(c -> c.process().isAlive()).toList();
        Map<Child, List<ProcessHandle>> descendants = new HashMap<>();
        for (Child child : alive) {
            Console.step(child.service().name(), "stopping (pid " + child.process().pid() + ")");
            descendants.put(child, child.process().descendants().toList());
            child.process().destroy();
        }
        long deadline = System.nanoTime() + SERVICE_STOP_GRACE.toNanos();
        for (Child child : alive) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (Processes.waitFor(child.process(), Duration.ofNanos(left))) {
                Console.step(child.service().name(), "stopped");
            } else {
                child.process().descendants().forEach(ProcessHandle::destroyForcibly);
                child.process().destroyForcibly();
                Processes.waitFor(child.process(), Duration.ofSeconds(5));
                Console.step(child.service().name(), "killed (did not stop within "
                        + SERVICE_STOP_GRACE.toSeconds() + " s)");
            }
            descendants.get(child).stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        MailCatcher mail = mailCatcher;
        if (mail != null) {
            mail.close();
        }
        Infra i = infra;
        if (i != null) {
            i.close();
        }
        Path runDir = data.resolve("run");
        try {
            Files.deleteIfExists(runDir.resolve("ready"));
            for (String name : List.of("identity-service", "session-service", "tenant-service", "gateway-edge",
                    "kafka")) {
                Files.deleteIfExists(runDir.resolve(name + ".pid"));
            }
            Path pidFile = runDir.resolve("devstack.pid");
            if (runningPidValue(pidFile).map(p -> p == ProcessHandle.current().pid()).orElse(false)) {
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            // nothing more to do at exit
        }
        Console.line("Gatehouse stopped (ran " + Console.since(startNanos) + ")");
    }

    /**
     * {@code run/<name>.pid} for each child: the children run in their own sessions (see {@link Processes#detached}),
     * so if this launcher is ever SIGKILLed, {@code ./gatehouse down} finds them by these files.
     */
    private void writePid(String name, long pid) {
        try {
            FileUtil.writeAtomically(data.resolve("run").resolve(name + ".pid"), pid + "\n");
        } catch (IOException e) {
            Console.line("warning: cannot write " + name + ".pid: " + e.getMessage());
        }
    }

    private String summary(List<ServiceProcess> services, Infra started, BootstrapAdmin admin) {
        List<String> lines = new ArrayList<>();
        ServiceProcess gateway = services.get(services.size() - 1);
        lines.add("Gatehouse is ready (" + Console.since(startNanos) + ")");
        lines.add("");
        lines.add(String.format("%-20s %s", "Gateway (API)", gateway.baseUrl()));
        lines.add(String.format("%-20s %s", "  health", gateway.managementUrl() + "/health"));
        lines.add(String.format("%-20s %s", "  metrics", gateway.managementUrl() + "/prometheus"));
        lines.add(String.format("%-20s %s", "  OpenAPI", gateway.managementUrl() + "/openapi.yml"));
        for (ServiceProcess service : services.subList(0, services.size() - 1)) {
            lines.add(String.format("%-20s %s", service.name(), service.baseUrl()));
            lines.add(String.format("%-20s %s", "  health", service.managementUrl() + "/health"));
            lines.add(String.format("%-20s %s", "  metrics", service.managementUrl() + "/prometheus"));
            lines.add(String.format("%-20s %s", "  OpenAPI", service.baseUrl() + "/openapi.yml"));
        }
        Postgres pg = started.postgres();
        lines.add("");
        lines.add(String.format("%-20s %s (user %s)", "PostgreSQL", pg.baseJdbcUrl(), pg.user()));
        lines.add(String.format("%-20s %s", "  databases", String.join(", ", Cluster.DATABASES)));
        lines.add(String.format("%-20s %s", "Redis", started.redis().uri()));
        lines.add(String.format("%-20s %s", "Kafka", started.kafka().bootstrapServers()));
        if (mailCatcher != null) {
            lines.add(String.format("%-20s %s", "Mail (dev catcher)", mailCatcher.webUrl()
                    + "  (magic codes, invitations; SMTP 127.0.0.1:" + mailCatcher.smtpPort() + ")"));
        }
        lines.add(String.format("%-20s %s", "Data", data));
        lines.add(String.format("%-20s %s", "Logs", data.resolve("logs")));
        lines.add("");
        lines.add("Bootstrap admin (platform admin in identity-service): username " + admin.username() + ", password "
                + admin.password());
        lines.add("  kept in " + data.resolve("bootstrap-admin.properties") + "; the sign-in endpoints that take it"
                + " (e.g. POST /api/v1/auth/login) arrive with the identity-service flows");
        lines.add("Platform-admin automation client: gatehouse-admin-cli, its secret in " + data.resolve(
                DevSecrets.FILE_NAME) + " (" + DevSecrets.ADMIN_CLIENT_SECRET + ")");
        lines.add("OpenID discovery: " + gateway.baseUrl() + "/.well-known/openid-configuration");
        lines.add("Get an admin token and create an organization:");
        lines.add("  SECRET=$(sed -n 's/^" + DevSecrets.ADMIN_CLIENT_SECRET + "=//p' " + data.resolve(DevSecrets.FILE_NAME)
                + ")");
        lines.add("  TOKEN=$(curl -s -u \"gatehouse-admin-cli:$SECRET\" -d grant_type=client_credentials "
                + gateway.baseUrl() + "/oauth2/token | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
        lines.add("  curl -s -X POST " + gateway.baseUrl() + "/api/v1/organizations -H \"Authorization: Bearer $TOKEN\""
                + " -H 'Content-Type: application/json' -d '{\"slug\":\"acme\",\"displayName\":\"Acme\"}'");
        lines.add("");
        lines.add("Stop with Ctrl-C (or ./gatehouse down).");
        int width = lines.stream().mapToInt(String::length).max().orElse(40);
        String border = "+" + "-".repeat(width + 2) + "+";
        StringBuilder sb = new StringBuilder(border).append('\n');
        for (String line : lines) {
            sb.append("| ").append(line).append(" ".repeat(width - line.length())).append(" |\n");
        }
        return sb.append(border).toString();
    }

    private boolean checkPorts(List<PortUse> ports) {
        Map<Integer, PortUse> seen = new HashMap<>();
        for (PortUse use : ports) {
            PortUse other = seen.putIfAbsent(use.port(), use);
            if (other != null) {
                Console.line("ERROR: port " + use.port() + " is configured twice: " + other.what() + " ("
                        + other.envVar() + ") and " + use.what() + " (" + use.envVar() + ")");
                return false;
            }
        }
        for (PortUse use : ports) {
            if (!Ports.isFree(use.port())) {
                Console.line("ERROR: port " + use.port() + " (" + use.what() + ") is already in use. Stop whatever"
                        + " uses it, or choose another port: " + use.envVar() + "=<port> ./gatehouse dev");
                return false;
            }
        }
        return true;
    }

    private int port(String envVar, int fallback) {
        String value = blankToNull(env.get(envVar));
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port <= 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(envVar + "=" + value + " is not a valid number (1-65535)");
        }
    }

    /** {@code GATEHOUSE_JAVA_OPTS} (split on whitespace) or {@link #DEFAULT_JAVA_OPTS}. */
    static List<String> javaOpts(Map<String, String> env) {
        String custom = blankToNull(env.get("GATEHOUSE_JAVA_OPTS"));
        return custom == null ? DEFAULT_JAVA_OPTS : Arrays.stream(custom.trim().split("\\s+")).toList();
    }

    /** The pid in {@code pidFile} if that process is alive and is not this one. */
    static Optional<Long> runningPid(Path pidFile) {
        return runningPidValue(pidFile).filter(pid -> pid != ProcessHandle.current().pid())
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<Long> runningPidValue(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String nonBlank(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
