package dev.gatehouse.identity.bench;

import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.UserDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The password benchmark ({@code ./gatehouse bench-password}; not part of the suite): password sign-ins per second
 * over HTTP ({@code POST /auth/password/finalize}, the whole path: throttle check in Redis, user lookup, argon2id
 * verification, session opened at the real session-service, organization lookup at tenant-service, event in the
 * outbox, cookie) at argon2id m=7 MiB, t=5, p=1 and at the defaults (m=19 MiB, t=2, p=1), each compared with the
 * raw verification rate of the same library (password4j through {@link PasswordHasher}) on 2 threads, measured in
 * the same run just before. Writes {@code target/password-benchmark.md}.
 */
@EnabledIfSystemProperty(named = "gatehouse.bench.password", matches = "true")
class PasswordBenchmarkTest {
    private static final String PASSWORD = "benchmark password 0123456789";
    private static final int SECONDS = Integer.getInteger("gatehouse.bench.seconds", 20);
    private static final int WARMUP_SECONDS = Integer.getInteger("gatehouse.bench.warmup", 5);
    private static final int CLIENTS = Integer.getInteger("gatehouse.bench.clients", 4);
    private static final int USERS = 50;

    private record Result(String label, double raw, double signIns, double p50, double p99, int errors) {
    }

    @Test
    void passwordSignInsPerSecondAgainstTheRawHashRate() throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(run("m=7 MiB, t=5, p=1", 7168, 5));
        results.add(run("m=19 MiB, t=2, p=1 (default)", 19456, 2));
        StringBuilder md = new StringBuilder();
        md.append("Results, ").append(Instant.now().truncatedTo(ChronoUnit.MINUTES)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" vCPUs, ").append(CLIENTS)
                .append(" concurrent clients, ").append(SECONDS).append(" s each after ").append(WARMUP_SECONDS)
                .append(" s warm-up:\n\n")
                .append("| argon2id | raw verifications, 2 threads | password sign-ins | ratio | p50 | p99 | errors |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append(String.format("| %s | %.1f/s | %.1f/s | %.0f%% | %.0f ms | %.0f ms | %d |%n", r.label(), r.raw(),
                    r.signIns(), 100 * r.signIns() / r.raw(), r.p50(), r.p99(), r.errors()));
        }
        Path out = Path.of("target", "password-benchmark.md");
        Files.writeString(out, md.toString());
        System.out.println("\n" + md);
        System.out.println("written to " + out.toAbsolutePath());
    }

    private Result run(String label, int memoryKib, int iterations) throws Exception {
        try (IdentityStack stack = IdentityStack.start(Map.of(
                "gatehouse.identity.password.argon2.memory-kib", String.valueOf(memoryKib),
                "gatehouse.identity.password.argon2.iterations", String.valueOf(iterations),
                "gatehouse.identity.password.argon2.parallelism", "1"))) {
            PasswordHasher hasher = stack.bean(PasswordHasher.class);
            UserDirectory users = stack.bean(UserDirectory.class);
            String phc = hasher.hash(PASSWORD);
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
                users.create(new NewUser(email, true, "Bench", null, phc, "bench"));
                emails.add(email);
            }
            double raw = raw(hasher, phc);
            // sign-ins: warm-up, then the measured run
            load(stack, emails, WARMUP_SECONDS);
            Load load = load(stack, emails, SECONDS);
            long[] sorted = load.latencies().stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(label, raw, load.ok() / (double) SECONDS, percentile(sorted, 0.50),
                    percentile(sorted, 0.99), load.errors());
        }
    }

    /** Verifications per second of the same library on 2 threads (warm-up first). */
    private static double raw(PasswordHasher hasher, String phc) throws InterruptedException {
        runThreads(2, WARMUP_SECONDS, () -> hasher.matches(PASSWORD, phc));
        return runThreads(2, SECONDS, () -> hasher.matches(PASSWORD, phc)) / (double) SECONDS;
    }

    private static long runThreads(int threads, int seconds, Runnable work) throws InterruptedException {
        AtomicLong count = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < deadline) {
                    work.run();
                    count.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await();
        return count.get();
    }

    private record Load(int ok, int errors, List<Long> latencies) {
    }

    private static Load load(IdentityStack stack, List<String> emails, int seconds) throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread.ofPlatform().start(() -> {
                StackHttp http = stack.newBrowser();
                int i = client;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    var reply = http.postJson("/auth/password/finalize", Map.of("email",
                            emails.get(i++ % emails.size()), "password", PASSWORD));
                    long took = System.nanoTime() - t0;
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    if (reply.status() == 200) {
                        ok.incrementAndGet();
                        latencies.add(took);
                    } else {
                        errors.incrementAndGet();
                    }
                }
                done.countDown();
            });
        }
        done.await();
        return new Load(ok.get(), errors.get(), latencies);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1_000_000.0;
    }
}
