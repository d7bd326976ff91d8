package dev.gatehouse.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real PostgreSQL, Redis and Kafka that integration tests in the other modules run against: one set per test
 * JVM, started on first use.
 *
 * <p>Why: CI has no Docker, so Testcontainers and Micronaut Test Resources cannot provide servers; mocks would not
 * test the SQL, the Redis commands or the Kafka delivery guarantees. {@code ./gatehouse test} starts one shared set
 * ({@code devstack.jar infra}) and passes it in through environment variables, so each test JVM need not start its
 * own:
 * <ul>
 *   <li>{@code GATEHOUSE_TEST_PG_URL} (JDBC base URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}),
 *       {@code GATEHOUSE_TEST_PG_USER}, {@code GATEHOUSE_TEST_PG_PASSWORD}</li>
 *   <li>{@code GATEHOUSE_TEST_REDIS_URI}</li>
 *   <li>{@code GATEHOUSE_TEST_KAFKA_BOOTSTRAP}</li>
 * </ul>
 * Each server whose variable is unset is started embedded, on a free port, in a temporary directory that is deleted
 * when the JVM exits (a shutdown hook stops the servers first). Running a single test from an IDE therefore needs no
 * setup at all.
 *
 * <p>Isolation: {@link #micronautProperties(String)} creates a fresh database per call; Redis and Kafka are shared,
 * so tests use unique keys, topics or consumer groups where that matters. Databases created on an existing server are
 * dropped at JVM exit.
 */
public final class TestServers {

    public static final String ENV_PG_URL = "GATEHOUSE_TEST_PG_URL";
    public static final String ENV_PG_USER = "GATEHOUSE_TEST_PG_USER";
    public static final String ENV_PG_PASSWORD = "GATEHOUSE_TEST_PG_PASSWORD";
    public static final String ENV_REDIS_URI = "GATEHOUSE_TEST_REDIS_URI";
    public static final String ENV_KAFKA_BOOTSTRAP = "GATEHOUSE_TEST_KAFKA_BOOTSTRAP";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static TestServers instance;
    private static RuntimeException startFailure;

    private final Infra infra;
    private final Path tempDir;
    private final List<KafkaBroker> extraBrokers = new ArrayList<>();
    private final Set<String> createdDatabases = ConcurrentHashMap.newKeySet();

    private TestServers(Infra infra, Path tempDir) {
        this.infra = infra;
        this.tempDir = tempDir;
    }

    /** The servers of this JVM, started on first call. Throws (on every call) if they could not be started. */
    public static synchronized TestServers get() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (instance == null) {
            try {
                instance = start(System.getenv());
            } catch (IOException | RuntimeException e) {
                startFailure = new IllegalStateException("Gatehouse test servers could not be started: "
                        + e.getMessage(), e);
                throw startFailure;
            }
        }
        return instance;
    }

    private static TestServers start(Map<String, String> env) throws IOException {
        Console.redirect(System.err);
        Path tempDir = Files.createTempDirectory("gatehouse-test-");
        Settings settings = new Settings(tempDir, true,
                0, blankToNull(env.get(ENV_PG_URL)), nonBlank(env.get(ENV_PG_USER), "postgres"),
                env.getOrDefault(ENV_PG_PASSWORD, ""),
                0, blankToNull(env.get(ENV_REDIS_URI)),
                0, 0, blankToNull(env.get(ENV_KAFKA_BOOTSTRAP)));
        Infra infra = new Infra(settings);
        TestServers servers = new TestServers(infra, tempDir);
        Runtime.getRuntime().addShutdownHook(new Thread(servers::shutdown, "gatehouse-test-servers-stop"));
        infra.startAll();
        return servers;
    }

    /**
     * Micronaut configuration for one application context of service {@code serviceName}, with a FRESH database named
     * {@code <serviceName, '-' -> '_'>_<8 random lower case letters>}. Keys: {@code datasources.default.url},
     * {@code datasources.default.username}, {@code datasources.default.password},
     * {@code datasources.default.driver-class-name}, {@code redis.uri}, {@code kafka.bootstrap.servers}.
     */
    public Map<String, Object> micronautProperties(String serviceName) {
        String database = newDatabase(serviceName);
        Postgres pg = postgres();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("datasources.default.url", pg.jdbcUrl(database));
        props.put("datasources.default.username", pg.user());
        props.put("datasources.default.password", pg.password());
        props.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        props.put("redis.uri", redisUri());
        props.put("kafka.bootstrap.servers", kafkaBootstrap());
        return props;
    }

    /** Creates a fresh database {@code <prefix>_<8 random letters>} and returns its name. */
    public String newDatabase(String prefix) {
        String base = prefix.toLowerCase(Locale.ROOT).replace('-', '_').replaceAll("[^a-z0-9_]", "_");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0)) && base.charAt(0) != '_') {
            base = "db_" + base;
        }
        if (base.length() > 54) {
            base = base.substring(0, 54);
        }
        String name = base + "_" + randomLetters(8);
        postgres().createDatabaseIfMissing(name);
        createdDatabases.add(name);
        return name;
    }

    /** The PostgreSQL server (use {@link Postgres#jdbcUrl(String)}, {@link Postgres#connect(String)}). */
    public Postgres postgres() {
        return infra.postgres();
    }

    /** e.g. {@code redis://127.0.0.1:41234}. */
    public String redisUri() {
        return infra.redis().uri();
    }

    /** e.g. {@code 127.0.0.1:41235}. */
    public String kafkaBootstrap() {
        return infra.kafka().bootstrapServers();
    }

    /**
     * Starts an ADDITIONAL private Kafka broker on free ports with its data in {@code dir}, for tests that stop and
     * restart Kafka ({@link KafkaBroker#stop()}, {@link KafkaBroker#restart()}). It is stopped at JVM exit at the
     * latest; {@code dir} is left to the caller.
     */
    public KafkaBroker newKafkaBroker(Path dir) {
        KafkaBroker broker = KafkaBroker.embedded(dir);
        synchronized (extraBrokers) {
            extraBrokers.add(broker);
        }
        try {
            return broker.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start an extra Kafka broker in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void shutdown() {
        synchronized (extraBrokers) {
            for (KafkaBroker broker : extraBrokers) {
                try {
                    broker.stop();
                } catch (RuntimeException e) {
                    // best effort at JVM exit
                }
            }
        }
        Postgres pg = infra.postgres();
        if (pg != null && !pg.isEmbedded()) {
            for (String db : createdDatabases) {
                try {
                    pg.dropDatabaseIfExists(db);
                } catch (RuntimeException e) {
                    // best effort: a leftover database on a shared server is harmless
                }
            }
        }
        infra.close();
        FileUtil.deleteQuietly(tempDir);
    }

    private static String randomLetters(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return sb.toString();
    }

    private static String nonBlank(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
