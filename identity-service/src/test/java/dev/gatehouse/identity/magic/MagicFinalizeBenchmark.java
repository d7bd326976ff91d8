package dev.gatehouse.identity.magic;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gatehouse.devstack.Ports;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.UserDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * p50/p99 of {@code POST /auth/magic/finalize} over HTTP against the real platform ({@link IdentityStack}: session-
 * and tenant-service, PostgreSQL, Redis, Kafka): code check in Redis, user lookup or creation, organization lookup at
 * tenant-service, session opened at session-service (token minted), the cookie. Codes are issued through
 * {@link MagicCodes} directly, so the resend limits and the mail do not pace the loop. Sequential requests from one
 * client. Not part of the suite; run it with
 * <pre>
 * ./mvnw -B -q -pl identity-service -am test -Dtest=MagicFinalizeBenchmark -Dgatehouse.bench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * It prints a Markdown table for docs/benchmarks.md.
 */
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class MagicFinalizeBenchmark {
    private static final int WARMUP = Integer.getInteger("gatehouse.bench.warmup", 200);
    private static final int SAMPLES = Integer.getInteger("gatehouse.bench.samples", 1_000);

    @Test
    void finalizeLatency() throws Exception {
        var greenMail = new GreenMail(new ServerSetup(Ports.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        try (var stack = IdentityStack.start(Map.of(
                "gatehouse.identity.mail.host", "127.0.0.1",
                "gatehouse.identity.mail.port", greenMail.getSmtp().getPort(),
                "gatehouse.identity.mail.security", "none",
                "gatehouse.identity.platform.timeout-millis", 30_000))) {
            MagicCodes codes = stack.bean(MagicCodes.class);
            UserDirectory users = stack.bean(UserDirectory.class);
            List<String> returning = new ArrayList<>();
            for (int i = 0; i < WARMUP + SAMPLES; i++) {
                String email = "bench-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
                users.create(new NewUser(email, true, null, null, null, "bench"));
                returning.add(email);
            }
            long[] existing = measure(stack, codes, returning);
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < WARMUP + SAMPLES; i++) {
                fresh.add("bench-new-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com");
            }
            long[] created = measure(stack, codes, fresh);
            System.out.println("\n| scenario | requests | p50 | p99 | max |\n|---|---|---|---|---|");
            System.out.println(row("magic finalize, returning user", existing));
            System.out.println(row("magic finalize, first sign-in (creates the user)", created));
            System.out.println("(" + Runtime.getRuntime().availableProcessors() + " CPUs, JDK "
                    + Runtime.version() + ", warm-up " + WARMUP + " requests per scenario)\n");
        } finally {
            greenMail.stop();
        }
    }

    /** Sequential finalizes, each with a fresh browser and code; the durations after the warm-up, in nanoseconds. */
    private static long[] measure(IdentityStack stack, MagicCodes codes, List<String> emails) {
        long[] samples = new long[SAMPLES];
        for (int i = 0; i < emails.size(); i++) {
            String email = emails.get(i);
            String code = codes.issue(email);
            StackHttp browser = stack.newBrowser();
            long t0 = System.nanoTime();
            var reply = browser.postJson("/auth/magic/finalize", Map.of("email", email, "code", code));
            long took = System.nanoTime() - t0;
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            if (i >= WARMUP) {
                samples[i - WARMUP] = took;
            }
        }
        Arrays.sort(samples);
        return samples;
    }

    private static String row(String scenario, long[] sorted) {
        return String.format(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms |", scenario, sorted.length,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
