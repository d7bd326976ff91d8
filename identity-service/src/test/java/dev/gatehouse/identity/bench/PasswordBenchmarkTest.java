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
    private static final int SECONDS = Integer.getInteger("gatehouse.bench.seconds", 40);
    private static final int WARMUP_SECONDS = Integer.getInteger("gatehouse.bench.warmup", 5);
    private static final int CLIENTS = Integer.getInteger("gatehouse.bench.clients", 4);
    private static final int USERS = 50;
    private static final int ROUNDS = 4;

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
                .append(" concurrent clients, ").append(SECONDS).append(" s each in ").append(ROUNDS)
                .append(" alternating slices after ").append(WARMUP_SECONDS).append(" s warm-up; load average ")
                .append(String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage())).append(" at the end:\n\n")
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
            // warm-up of both, then alternating slices of raw hashing and sign-ins, so that a change of the
            // machine's load during the run (it is shared) hits both measurements alike
            runThreads(2, WARMUP_SECONDS, () -> hasher.matches(PASSWORD, phc));
            load(stack, emails, WARMUP_SECONDS);
            int slice = Math.max(1, SECONDS / ROUNDS);
            double raw = 0;
            double signIns = 0;
            int errors = 0;
            List<Long> latencies = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                raw += runThreads(2, slice, () -> hasher.matches(PASSWORD, phc)) / ROUNDS;
                Load load = load(stack, emails, slice);
                signIns += load.rate() / ROUNDS;
                errors += load.errors();
                latencies.addAll(load.latencies());
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(label, raw, signIns, percentile(sorted, 0.50), percentile(sorted, 0.99), errors);
        }
    }

    /**
     * Runs {@code work} on {@code threads} threads for about {@code seconds}; returns the rate: the sum over threads
     * of completions divided by the time from the start to that thread's last completion (no ramp or tail bias).
     */
    private static double runThreads(int threads, int seconds, Runnable work) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        double[] rates = new double[threads];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread.ofPlatform().start(() -> {
                long count = 0;
                long last = start;
                while (System.nanoTime() < deadline) {
                    work.run();
                    count++;
                    last = System.nanoTime();
                }
                rates[index] = count == 0 ? 0 : count / ((last - start) / 1e9);
                done.countDown();
            });
        }
        done.await();
        return java.util.Arrays.stream(rates).sum();
    }

    /** {@code rate}: like {@link #runThreads}, per client, successful sign-ins only. */
    private record Load(double rate, int ok, int errors, List<Long> latencies) {
    }

    private static Load load(IdentityStack stack, List<String> emails, int seconds) throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        double[] rates = new double[CLIENTS];
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread.ofPlatform().start(() -> {
                StackHttp http = stack.newBrowser();
                int i = client;
                long count = 0;
                long last = start;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    var reply = http.postJson("/auth/password/finalize", Map.of("email",
                            emails.get(i++ % emails.size()), "password", PASSWORD));
                    long now = System.nanoTime();
                    if (reply.status() == 200) {
                        ok.incrementAndGet();
                        latencies.add(now - t0);
                        count++;
                        last = now;
                    } else {
                        errors.incrementAndGet();
                    }
                }
                rates[client] = count == 0 ? 0 : count / ((last - start) / 1e9);
                done.countDown();
            });
        }
        done.await();
        return new Load(java.util.Arrays.stream(rates).sum(), ok.get(), errors.get(), latencies);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1_000_000.0;
    }
}
