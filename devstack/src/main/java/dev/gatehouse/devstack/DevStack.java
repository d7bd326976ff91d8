package dev.gatehouse.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code devstack/target/devstack.jar}, driven by the {@code ./gatehouse} script.
 * <ul>
 *   <li>{@code platform [--data DIR] [--fresh]}: the whole platform in the foreground ({@link Platform}).</li>
 *   <li>{@code bench-session [--seconds N] [--connections N]}: authorization-server throughput with wrk
 *       ({@link SessionBenchmark}).</li>
 *   <li>{@code bench-gateway [--seconds N] [--connections N]}: gateway-edge's cost per request against nginx
 *       ({@link GatewayBenchmark}).</li>
 *   <li>{@code infra [--data DIR] [--exit-with-parent]}: only PostgreSQL, Redis and Kafka, for {@code ./gatehouse
 *       test}; writes {@code DIR/infra.env} ({@code GATEHOUSE_TEST_*} variables, read by {@link TestServers}) and
 *       then {@code DIR/ready}, and runs until SIGTERM.</li>
 * </ul>
 */
public final class DevStack {

    private DevStack() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (IOException | RuntimeException e) {
            Console.line("ERROR: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (System.getenv("GATEHOUSE_DEBUG") != null) {
                e.printStackTrace();
            }
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage();
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Path data = null;
        boolean fresh = false;
        boolean exitWithParent = false;
        int runs = 5;
        int seconds = 20;
        int connections = 16;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--runs needs a number");
                    }
                    runs = Integer.parseInt(args[++i]);
                }
                case "--data" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--data needs a directory");
                    }
                    data = Paths.get(args[++i]).toAbsolutePath().normalize();
                }
                case "--seconds" -> seconds = Integer.parseInt(value(args, ++i, "--seconds"));
                case "--connections" -> connections = Integer.parseInt(value(args, ++i, "--connections"));
                case "--fresh" -> fresh = true;
                case "--exit-with-parent" -> exitWithParent = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see: devstack help)");
            }
        }
        return switch (command) {
            case "platform" -> {
                Path repo = Repo.root();
                yield new Platform(repo, data != null ? data : repo.resolve(".gatehouse").resolve("data"),
                        System.getenv()).run(fresh);
            }
            case "measure-startup" -> StartupBenchmark.run(runs);
            case "bench-session" -> SessionBenchmark.run(seconds, connections);
            case "bench-gateway" -> GatewayBenchmark.run(seconds, connections);
            case "infra" -> infra(data != null ? data : Files.createTempDirectory("gatehouse-infra-"), exitWithParent);
            default -> {
                usage();
                yield 2;
            }
        };
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code infra}: servers for a test run, described in {@code infra.env}. */
    private static int infra(Path dir, boolean exitWithParent) throws IOException {
        Files.createDirectories(dir);
        Path ready = dir.resolve("ready");
        Path envFile = dir.resolve("infra.env");
        Files.deleteIfExists(ready);
        Files.deleteIfExists(envFile);
        Map<String, String> env = System.getenv();
        Settings settings = new Settings(dir, true,
                envPort(env, "GATEHOUSE_PORT_POSTGRES"), null, null, null,
                envPort(env, "GATEHOUSE_PORT_REDIS"), null,
                envPort(env, "GATEHOUSE_PORT_KAFKA"), envPort(env, "GATEHOUSE_PORT_KAFKA_CONTROLLER"), null);
        Infra infra = new Infra(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException e) {
                // exiting anyway
            }
            infra.close();
        }, "gatehouse-infra-stop"));
        long t0 = System.nanoTime();
        infra.startAll();
        Postgres pg = infra.postgres();
        String content = TestServers.ENV_PG_URL + "=" + pg.baseJdbcUrl() + "\n"
                + TestServers.ENV_PG_USER + "=" + pg.user() + "\n"
                + TestServers.ENV_PG_PASSWORD + "=" + pg.password() + "\n"
                + TestServers.ENV_REDIS_URI + "=" + infra.redis().uri() + "\n"
                + TestServers.ENV_KAFKA_BOOTSTRAP + "=" + infra.kafka().bootstrapServers() + "\n";
        FileUtil.writeAtomically(envFile, content);
        FileUtil.writeAtomically(ready, ProcessHandle.current().pid() + "\n");
        Console.line("test servers ready in " + Console.since(t0) + "; settings in " + envFile);

        if (exitWithParent) {
            // if whoever started us dies without stopping us (kill -9), do not linger forever
            ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
            while (parent != null && parent.isAlive()) {
                Ports.sleep(1000);
            }
            Console.line("parent process is gone; stopping");
            return 0;
        }
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int envPort(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a port number");
        }
    }

    private static void usage() {
        Console.raw("""
                usage: java -jar devstack/target/devstack.jar <command> [options]

                  platform [--data DIR] [--fresh]   PostgreSQL, Redis, Kafka and the four services, in the foreground
                                                    (default DIR: <repo>/.gatehouse/data; --fresh deletes it first)
                  infra [--data DIR] [--exit-with-parent]
                                                    only PostgreSQL, Redis and Kafka; writes DIR/infra.env and DIR/ready
                  measure-startup [--runs N]        time to ready and RSS of each service alone, with and without
                                                    its AOT startup cache (a Markdown table)
                  bench-session [--seconds N] [--connections N]
                                                    session-service throughput with wrk (default 20 s, 16
                                                    connections; a Markdown table for docs/benchmarks.md)
                  bench-gateway [--seconds N] [--connections N]
                                                    gateway-edge's cost per request (public, JWT, API-key routes)
                                                    against nginx as upstream and as reference proxy, with wrk
                  help                              this text

                Normally run through ./gatehouse (dev, up, down, test); see docs/devstack.md.""");
    }
}
