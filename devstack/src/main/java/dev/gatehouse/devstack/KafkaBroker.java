package dev.gatehouse.devstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process), run as a CHILD PROCESS from
 * the jars that module {@code devstack-kafka} copies to {@code devstack-kafka/target/kafka-libs}.
 *
 * <p>Why a child process and not in-JVM: the broker needs Kafka 4.x classes, which clash with the 3.9 client that
 * micronaut-kafka uses in the same JVM; and a separate process can be stopped and restarted on the same port and data
 * directory, which is how tests prove that no event is lost while Kafka is down.
 *
 * <p>Storage is formatted on first start; the cluster id is kept in {@code <dataDir>/cluster.id}, the logs in
 * {@code <dataDir>/logs}, so restarts keep every topic and record. Broker output goes to {@code <dataDir>/broker.log}
 * unless another log file is given.
 *
 * <p>Alternatively {@link #attach(String)} wraps existing bootstrap servers; then {@link #stop()} and
 * {@link #restart()} are unsupported.
 */
public final class KafkaBroker implements AutoCloseable {

    /** System property naming the kafka-libs directory. */
    public static final String LIBS_PROPERTY = "gatehouse.kafka.libs";
    /** Environment variable naming the kafka-libs directory. */
    public static final String LIBS_ENV = "GATEHOUSE_KAFKA_LIBS";
    static final String STARTED_LINE = "Kafka Server started";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final String attachedBootstrap;
    private Process process;

    private KafkaBroker(Path dataDir, int port, int controllerPort, Path logFile, String attachedBootstrap) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = logFile;
        this.attachedBootstrap = attachedBootstrap;
    }

    /** A broker (not yet started) on 127.0.0.1 with the given client and controller ports and data directory. */
    public static KafkaBroker embedded(Path dataDir, int port, int controllerPort) {
        return embedded(dataDir, port, controllerPort, dataDir.resolve("broker.log"));
    }

    /** Like {@link #embedded(Path, int, int)} with broker output going to {@code logFile}. */
    public static KafkaBroker embedded(Path dataDir, int port, int controllerPort, Path logFile) {
        if (port <= 0 || controllerPort <= 0 || port == controllerPort) {
            throw new IllegalArgumentException("need two distinct ports, got " + port + " and " + controllerPort);
        }
        return new KafkaBroker(dataDir.toAbsolutePath(), port, controllerPort, logFile.toAbsolutePath(), null);
    }

    /** A broker (not yet started) on two free ports. */
    public static KafkaBroker embedded(Path dataDir) {
        int port = Ports.freePort();
        int controller = Ports.freePort();
        while (controller == port) {
            controller = Ports.freePort();
        }
        return embedded(dataDir, port, controller);
    }

    /** Existing Kafka, e.g. {@code 127.0.0.1:9092}; start/stop/restart are unsupported. */
    public static KafkaBroker attach(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("empty Kafka bootstrap servers");
        }
        return new KafkaBroker(null, -1, -1, null, bootstrapServers.trim());
    }

    /** {@code 127.0.0.1:<port>} for an embedded broker, or the attached bootstrap servers. */
    public String bootstrapServers() {
        return attachedBootstrap != null ? attachedBootstrap : "127.0.0.1:" + port;
    }

    public boolean isEmbedded() {
        return attachedBootstrap == null;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** True while the broker process is alive (always true for an attached broker). */
    public synchronized boolean isRunning() {
        return attachedBootstrap != null || (process != null && process.isAlive());
    }

    /** Pid of the broker process, or -1 when not started (or attached). */
    public synchronized long pid() {
        return process != null ? process.pid() : -1;
    }

    /** Exit code of the broker process after it died, or -1 while running / before start. */
    public synchronized int exitCode() {
        return process != null && !process.isAlive() ? process.exitValue() : -1;
    }

    /**
     * Starts the broker (formatting storage on first start) and waits until it accepts connections and has logged
     * {@value #STARTED_LINE}. Does nothing if already running or attached.
     */
    public synchronized KafkaBroker start() throws IOException {
        if (attachedBootstrap != null || (process != null && process.isAlive())) {
            return this;
        }
        Path libs = locateKafkaLibs();
        Files.createDirectories(dataDir);
        Files.createDirectories(logFile.getParent());
        Path config = dataDir.resolve("server.properties");
        FileUtil.writeAtomically(config, serverProperties());
        if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            format(libs, config);
        }
        long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms128m", "-Xmx384m",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel(),
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-cp", libs.resolve("*").toString(), "kafka.Kafka", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(Processes.detached(command))
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
        awaitStarted(logOffset);
        return this;
    }

    /**
     * Stops the broker: SIGTERM (controlled shutdown, which flushes the logs), then SIGKILL if it has not exited after
     * 30 s. Does nothing when not running.
     */
    public synchronized void stop() {
        requireEmbedded("stop");
        if (process == null) {
            return;
        }
        Processes.terminate(process, STOP_TIMEOUT);
    }

    /** Stops and starts the broker again on the same ports and data directory (topics and records survive). */
    public synchronized void restart() throws IOException {
        requireEmbedded("restart");
        stop();
        // the client port must be free again before the new broker binds it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Ports.isFree(port) && System.nanoTime() < deadline) {
            Ports.sleep(100);
        }
        start();
    }

    /** Stops an embedded broker; does nothing for an attached one. */
    @Override
    public void close() {
        if (attachedBootstrap == null) {
            stop();
        }
    }

    /**
     * Where the broker jars are: system property {@value #LIBS_PROPERTY}, else env {@value #LIBS_ENV}, else the
     * first {@code devstack-kafka/target/kafka-libs} found walking up from {@code user.dir} (then from the location of
     * the devstack jar).
     */
    public static Path locateKafkaLibs() {
        String explicit = System.getProperty(LIBS_PROPERTY);
        String source = "-D" + LIBS_PROPERTY;
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv(LIBS_ENV);
            source = LIBS_ENV;
        }
        if (explicit != null && !explicit.isBlank()) {
            Path dir = Paths.get(explicit).toAbsolutePath();
            if (!hasBrokerJar(dir)) {
                throw new IllegalStateException(source + "=" + explicit + " does not contain the Kafka broker jars"
                        + " (kafka_2.13-*.jar). Build them with: ./mvnw -pl devstack-kafka package");
            }
            return dir;
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Paths.get(System.getProperty("user.dir")).toAbsolutePath());
        Path codeLocation = Repo.codeLocation();
        if (codeLocation != null) {
            starts.add(codeLocation);
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("devstack-kafka").resolve("target").resolve("kafka-libs");
                if (hasBrokerJar(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Kafka broker jars not found: no devstack-kafka/target/kafka-libs above "
                + starts.get(0) + ". Build them with: ./mvnw -pl devstack-kafka package"
                + " (or point " + LIBS_ENV + " / -D" + LIBS_PROPERTY + " at the directory)");
    }

    private static boolean hasBrokerJar(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (IOException e) {
            return false;
        }
    }

    String serverProperties() {
        return String.join("\n",
                "# written by Gatehouse devstack on every start",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("logs"),
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "min.insync.replicas=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "delete.topic.enable=true",
                "") ;
    }

    private void format(Path libs, Path config) throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        String clusterId;
        if (Files.exists(idFile)) {
            clusterId = Files.readString(idFile, StandardCharsets.UTF_8).trim();
        } else {
            clusterId = randomClusterId();
            FileUtil.writeAtomically(idFile, clusterId + "\n");
        }
        Process format = new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", libs.resolve("*").toString(), "kafka.tools.StorageTool",
                "format", "--ignore-formatted", "-t", clusterId, "-c", config.toString())
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IOException("formatting Kafka storage timed out; see " + logFile);
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IOException("formatting Kafka storage failed (exit " + format.exitValue() + "):\n"
                    + FileUtil.tail(logFile, 20));
        }
    }

    private void awaitStarted(long logOffset) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited during startup (exit " + process.exitValue()
                        + "); last lines of " + logFile + ":\n" + FileUtil.tail(logFile, 20));
            }
            if (logContainsSince(logOffset, STARTED_LINE) && Ports.isOpen("127.0.0.1", port)) {
                return;
            }
            Ports.sleep(150);
        }
        Processes.terminate(process, Duration.ofSeconds(5));
        throw new IOException("Kafka broker did not start within " + START_TIMEOUT.toSeconds()
                + " s; last lines of " + logFile + ":\n" + FileUtil.tail(logFile, 20));
    }

    private boolean logContainsSince(long offset, String needle) throws IOException {
        if (!Files.exists(logFile)) {
            return false;
        }
        try (RandomAccessFile raf = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = raf.length();
            if (length <= offset) {
                return false;
            }
            raf.seek(offset);
            byte[] bytes = new byte[(int) Math.min(length - offset, 16 * 1024 * 1024)];
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).contains(needle);
        }
    }

    private void requireEmbedded(String what) {
        if (attachedBootstrap != null) {
            throw new UnsupportedOperationException("cannot " + what + " Kafka at " + attachedBootstrap
                    + ": it is an existing broker, not one started by Gatehouse devstack");
        }
    }

    private static String logLevel() {
        String level = System.getenv("GATEHOUSE_KAFKA_LOG_LEVEL");
        return level == null || level.isBlank() ? "warn" : level.trim();
    }

    static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A Kafka cluster id: 16 random bytes, base64url without padding, not starting with '-' (like Uuid.randomUuid). */
    static String randomClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    @Override
    public String toString() {
        return attachedBootstrap != null ? "existing Kafka " + attachedBootstrap : "Kafka broker 127.0.0.1:" + port;
    }
}
