package dev.gatehouse.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code devstack measure-startup [--runs N]}: how fast each service gets ready and how much memory it holds, each
 * service measured alone (the others stopped) against embedded PostgreSQL, Redis and Kafka. For every service: one
 * start without a startup cache, a training run, then N starts with the JDK 25 AOT cache. Time to ready is from
 * launching the JVM to the first 200 from {@code /health/readiness}; RSS is read from {@code /proc} after a short
 * warm-up ({@link ServiceProcess#exercise()}). Prints a Markdown table for {@code docs/development.md}.
 */
final class StartupBenchmark {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private StartupBenchmark() {
    }

    record Result(String service, long coldMillis, List<Long> cachedMillis, long rssKib) {
    }

    static int run(int runs) throws IOException {
        Path work = Files.createTempDirectory("gatehouse-startup-");
        List<String> jvmOpts = Platform.javaOpts(System.getenv());
        try (Infra infra = new Infra(Settings.embedded(work, true))) {
            infra.startAll();
            var backends = new Cluster.Backends(infra.postgres(), infra.redis().uri(),
                    infra.kafka().bootstrapServers(), "");
            backends.createDatabases();
            List<ServiceProcess> services = Cluster.services(Cluster.Ports.free(), Cluster.jars(Repo.root()), backends,
                    System.getenv(), Map.of(BootstrapAdmin.ENV_USERNAME, "admin",
                            BootstrapAdmin.ENV_PASSWORD, "measure-startup-password"), work.resolve("logs"));
            AotCache aot = new AotCache(work.resolve("aot"), true);
            List<Result> results = new ArrayList<>();
            for (ServiceProcess service : services) {
                long cold = timeToReady(service, jvmOpts).millis();
                aot.train(service, jvmOpts, ServiceProcess::launch, READY_TIMEOUT);
                List<Long> cached = new ArrayList<>();
                long rss = 0;
                for (int i = 0; i < runs; i++) {
                    Start start = timeToReady(service, aot.runArgs(service, jvmOpts));
                    cached.add(start.millis());
                    rss = Math.max(rss, start.rssKib());
                }
                results.add(new Result(service.name(), cold, cached, rss));
                Console.step(service.name(), "measured");
            }
            Console.raw(table(results, runs, jvmOpts));
            return 0;
        } finally {
            FileUtil.deleteRecursively(work);
        }
    }

    private record Start(long millis, long rssKib) {
    }

    /** Launches, waits for readiness, warms up, reads RSS, stops. */
    private static Start timeToReady(ServiceProcess service, List<String> jvmArgs) throws IOException {
        long t0 = System.nanoTime();
        Process process = service.launch(jvmArgs);
        try {
            service.awaitReady(process, READY_TIMEOUT, Duration.ofMillis(10));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            service.exercise();
            return new Start(millis, rssKib(process));
        } finally {
            Processes.terminate(process, Duration.ofSeconds(30));
        }
    }

    /** Resident memory of the JVM: the process itself or, behind a wrapper, its java descendant. */
    static long rssKib(Process process) {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .mapToLong(h -> vmRss(h.pid())).max().orElse(0);
    }

    private static long vmRss(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String table(List<Result> results, int runs, List<String> jvmOpts) {
        var out = new StringBuilder();
        out.append("JVM options: `").append(String.join(" ", jvmOpts)).append("`, ").append(runs)
                .append(" cached starts per service, each service alone\n\n");
        out.append("| service | ready, no cache | ready with AOT cache (median, min-max) | RSS after warm-up |\n");
        out.append("|---|---|---|---|\n");
        for (Result r : results) {
            List<Long> sorted = r.cachedMillis().stream().sorted().toList();
            out.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s (%.2f-%.2f) | %d MiB |%n", r.service(),
                    r.coldMillis() / 1000.0, sorted.get(sorted.size() / 2) / 1000.0, sorted.getFirst() / 1000.0,
                    sorted.getLast() / 1000.0, r.rssKib() / 1024));
        }
        return out.toString();
    }
}
