package dev.gatehouse.identity.upstream;

import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth finalize benchmark (docs/benchmarks.md), not a test: run it on purpose with
 * {@code ./mvnw -B -pl identity-service -am test -Dtest=OAuthFinalizeBenchmark -Dgatehouse.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>identity-service with the real session- and tenant-service (IdentityStack: real PostgreSQL, Redis, Kafka) and a
 * real OpenID Provider run locally (mock-oauth2-server playing Google). Each sample is one browser's whole web
 * sign-in; only {@code POST /auth/oauth/finalize} is timed: state GETDEL and browser binding check, the code exchange
 * at the provider (HTTP, PKCE), ID token validation (RS256, cached JWKS, nonce, iss), account linking (PostgreSQL),
 * organization lookup at tenant-service, session opening at session-service (a signed token and a sealed cookie), the
 * outbox events. Half the samples are first sign-ins (a user is created and linked), half returning users (linked).
 * One client thread, sequential (latency, not throughput). Prints a Markdown table, also written to
 * {@code identity-service/target/oauth-finalize-benchmark.md}.
 */
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class OAuthFinalizeBenchmark {
    private static final int WARMUP = Integer.getInteger("gatehouse.bench.warmup", 100);
    private static final int SAMPLES = Integer.getInteger("gatehouse.bench.samples", 1000);

    @Test
    void finalizeLatency() throws Exception {
        try (MockProviders mock = new MockProviders();
             IdentityStack stack = IdentityStack.start(UpstreamSignInTest.properties(mock, null))) {
            String[] returning = new String[32];
            for (int i = 0; i < returning.length; i++) {
                returning[i] = "bench-returning-" + i + "-" + UUID.randomUUID();
            }
            for (int i = 0; i < WARMUP; i++) {
                signIn(stack, mock, i % 2 == 0 ? returning[i % returning.length] : "bench-new-" + UUID.randomUUID());
            }
            long[] first = new long[SAMPLES / 2];
            long[] again = new long[SAMPLES / 2];
            for (int i = 0; i < SAMPLES / 2; i++) {
                first[i] = signIn(stack, mock, "bench-new-" + UUID.randomUUID());
                again[i] = signIn(stack, mock, returning[i % returning.length]);
            }
            long[] all = new long[first.length + again.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(again, 0, all, first.length, again.length);
            String table = """
                    | POST /auth/oauth/finalize (web, google played by mock-oauth2-server) | samples | p50 ms | p99 ms | max ms |
                    |---|---:|---:|---:|---:|
                    %s
                    %s
                    %s
                    """.formatted(row("first sign-in (user created and linked)", first),
                    row("returning user (linked account)", again), row("all", all));
            System.out.println(table);
            Path out = Path.of("target", "oauth-finalize-benchmark.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
        }
    }

    /** One whole web sign-in; returns the finalize call's latency in nanoseconds. */
    private static long signIn(IdentityStack stack, MockProviders mock, String subject) {
        StackHttp browser = stack.newBrowser();
        var started = browser.postJson("/auth/oauth/google/start", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        Map<String, String> callback = mock.authorize(URI.create(started.json().path("redirectUrl").asText()));
        mock.nextUser("google", subject, "google-client", MockProviders.email(subject + "@bench.example", true));
        long t0 = System.nanoTime();
        var finished = browser.postJson("/auth/oauth/finalize", Map.of("code", callback.get("code"),
                "state", callback.get("state")));
        long elapsed = System.nanoTime() - t0;
        assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
        return elapsed;
    }

    private static String row(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |", name, sorted.length,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }
}
