package dev.gatehouse.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * PostgreSQL, Redis and Kafka together, as the services need them. Kafka (the slowest, ~4 s) starts in the background
 * while PostgreSQL and Redis start, so the whole set is up in about the time Kafka alone takes. Prints one progress
 * line per server, e.g. {@code [gatehouse] postgres         started on 127.0.0.1:15432 (1.8 s)}.
 *
 * <p>{@link #close()} may be called from a shutdown hook while {@link #startAll()} is still running: whatever has
 * started is stopped, and servers that finish starting afterwards are stopped at once.
 */
public final class Infra implements AutoCloseable {

    private final Settings settings;
    private volatile Postgres postgres;
    private volatile Redis redis;
    private volatile KafkaBroker kafka;
    private volatile boolean closed;

    public Infra(Settings settings) {
        this.settings = settings.withFreePorts();
    }

    /** Starts everything described by {@code settings}. */
    public static Infra start(Settings settings) throws IOException {
        Infra infra = new Infra(settings);
        infra.startAll();
        return infra;
    }

    /** The settings with ports resolved. */
    public Settings settings() {
        return settings;
    }

    /** Starts the three servers; on failure stops whatever started and rethrows. */
    public void startAll() throws IOException {
        Path data = settings.dataDir().toAbsolutePath();
        Path logs = data.resolve("logs");
        try {
            CompletableFuture<Void> kafkaStarted;
            if (settings.embeddedKafka()) {
                kafka = KafkaBroker.embedded(data.resolve("kafka"), settings.kafkaPort(),
                        settings.kafkaControllerPort(), logs.resolve("kafka.log"));
                long t0 = System.nanoTime();
                KafkaBroker broker = kafka;
                kafkaStarted = CompletableFuture.runAsync(() -> {
                    try {
                        broker.start();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    Console.step("kafka", "started on " + broker.bootstrapServers() + " (" + Console.since(t0) + ")");
                });
            } else {
                kafka = KafkaBroker.attach(settings.kafkaBootstrap());
                kafkaStarted = CompletableFuture.completedFuture(null);
                Console.step("kafka", "using existing broker " + kafka.bootstrapServers());
            }

            long t0 = System.nanoTime();
            if (settings.embeddedPostgres()) {
                postgres = Postgres.startEmbedded(data.resolve("postgres"), settings.postgresPort(),
                        logs.resolve("postgres.log"), settings.throwAway());
                Console.step("postgres", "started on 127.0.0.1:" + postgres.port() + " (" + Console.since(t0) + ")");
            } else {
                postgres = Postgres.attach(settings.postgresUrl(), settings.postgresUser(),
                        settings.postgresPassword());
                Console.step("postgres", "using existing server " + postgres.baseJdbcUrl());
            }
            checkNotClosed();

            t0 = System.nanoTime();
            if (settings.embeddedRedis()) {
                redis = Redis.startEmbedded(settings.redisPort());
                Console.step("redis", "started on 127.0.0.1:" + redis.port() + " (" + Console.since(t0) + ")");
            } else {
                redis = Redis.attach(settings.redisUri());
                Console.step("redis", "using existing server " + redis.uri());
            }
            checkNotClosed();

            try {
                kafkaStarted.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
                throw cause instanceof IOException io ? io : new IOException("Kafka failed to start", cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting Kafka", e);
            }
            checkNotClosed();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void checkNotClosed() throws IOException {
        if (closed) {
            close();
            throw new IOException("stopped while starting");
        }
    }

    public Postgres postgres() {
        return postgres;
    }

    public Redis redis() {
        return redis;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** Stops Kafka, Redis and PostgreSQL (embedded ones only), printing what it stops. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        stop("kafka", kafka, kafka != null && kafka.isEmbedded());
        kafka = null;
        stop("redis", redis, redis != null && redis.isEmbedded());
        redis = null;
        stop("postgres", postgres, postgres != null && postgres.isEmbedded());
        postgres = null;
    }

    private static void stop(String name, AutoCloseable server, boolean embedded) {
        if (server == null || !embedded) {
            return;
        }
        long t0 = System.nanoTime();
        Console.step(name, "stopping");
        try {
            server.close();
            Console.step(name, "stopped (" + Console.since(t0) + ")");
        } catch (Exception e) {
            Console.step(name, "stop failed: " + e.getMessage());
        }
    }
}
