package dev.gatehouse.tenant.bench;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.tenant.rbac.EffectivePermissions;
import dev.gatehouse.tenant.support.TenantServers;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The tenant-service benchmark (docs/benchmarks.md), not a test: run it on purpose with
 * {@code ./mvnw -B -o -pl tenant-service surefire:test -Dtest=TenantBenchmark -Dgatehouse.bench=true}.
 *
 * <p>Seeds a real PostgreSQL (embedded, or the one of {@code GATEHOUSE_TEST_PG_URL}) with 10,000 organizations and
 * 100,000 memberships (10 per organization, 2 per user) plus a custom role, a group (with a member), an API key, an
 * invitation and a domain per organization; then drives tenant-service over HTTP from one client thread (keep-alive,
 * sequential requests: latency, not throughput) with real RS256 tokens, and prints p50/p99 per endpoint as a
 * Markdown table (also written to {@code target/tenant-benchmark.md}).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class TenantBenchmark implements TenantServers {
    private static final int ORGS = 10_000;
    private static final int MEMBERSHIPS = 100_000;
    private static final int WARMUP = 500;
    private static final int SAMPLES = 5_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Random random = new Random(42);

    @Inject
    EmbeddedServer server;
    @Inject
    EffectivePermissions effective;
    private DataSource dataSource;

    @Inject
    void dataSource(DataSource transactionAware) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(transactionAware);
    }

    private static String org(int i) {
        return "org_bench" + String.format(Locale.ROOT, "%05d", i);
    }

    private static String user(int u) {
        return "usr_bench" + String.format(Locale.ROOT, "%06d", u);
    }

    /** Membership g (0..99,999): user g/2, in organizations (u) and (u + 5000) mod 10,000. */
    private static int orgOfMembership(int g) {
        return (g / 2 + (g % 2) * 5000) % ORGS;
    }

    private static String cursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void seedAndMeasure() throws Exception {
        List<String> report = new ArrayList<>();
        String loadBefore = load();
        long t0 = System.nanoTime();
        seed();
        double seedSeconds = (System.nanoTime() - t0) / 1e9;
        long counted;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select (select count(*) from organization), (select count(*) from membership)");
            rs.next();
            counted = rs.getLong(2);
            report.add(String.format(Locale.ROOT, "Seeded %,d organizations and %,d memberships (plus %,d custom roles,"
                            + " groups, group members, API keys, invitations and domains each) in %.1f s.",
                    rs.getLong(1), counted, ORGS, seedSeconds));
        }

        String service = TestIssuer.get().service();
        String platform = TestIssuer.get().platformAdmin();
        report.add("");
        report.add("| endpoint | requests | p50 ms | p99 ms | p99.9 ms | max ms |");
        report.add("|---|---:|---:|---:|---:|---:|");

        // Effective permissions for token minting: 1,000 distinct members, each first looked up cold (cache miss,
        // database), then looked up again and again (warm).
        int[] members = random.ints(0, MEMBERSHIPS / 2).distinct().limit(1_000).toArray();
        IntFunction<String> permissions = i -> {
            int g = members[i % members.length];
            return "/internal/v1/organizations/" + org(orgOfMembership(g)) + "/members/" + user(g / 2) + "/permissions";
        };
        // warm the code path on other members (the second half) than the measured ones
        warm(i -> {
            int g = MEMBERSHIPS / 2 + random.nextInt(MEMBERSHIPS / 2);
            return "/internal/v1/organizations/" + org(orgOfMembership(g)) + "/members/" + user(g / 2) + "/permissions";
        }, service, 2_000);
        report.add(row("permissions, first lookup of a member (cache miss: PostgreSQL)", permissions, service,
                members.length, 0));
        report.add(row("permissions, warm (token minting)", i -> permissions.apply(random.nextInt(members.length)),
                service, 20_000, WARMUP));

        report.add(inProcess(members));

        report.add(row("GET /api/v1/organizations (platform admin, first page of 50)",
                i -> "/api/v1/organizations?limit=50", platform, SAMPLES, WARMUP));
        report.add(row("GET /api/v1/organizations (platform admin, random deep page of 50)",
                i -> "/api/v1/organizations?limit=50&after=" + cursor(org(random.nextInt(ORGS))), platform, SAMPLES,
                WARMUP));
        report.add(row("GET /api/v1/organizations (platform admin, page of 200)",
                i -> "/api/v1/organizations?limit=200&after=" + cursor(org(random.nextInt(ORGS))), platform, SAMPLES,
                WARMUP));
        String someUser = user(random.nextInt(MEMBERSHIPS / 2));
        String userToken = TestIssuer.get().user(someUser);
        report.add(row("GET /api/v1/organizations (a member: own organizations)", i -> "/api/v1/organizations",
                userToken, SAMPLES, WARMUP));
        for (String list : List.of("members", "groups", "roles", "api-keys", "invitations", "domains")) {
            report.add(row("GET /api/v1/organizations/{id}/" + list + " (random organization)",
                    i -> "/api/v1/organizations/" + org(random.nextInt(ORGS)) + "/" + list, platform, SAMPLES,
                    WARMUP));
        }
        // an organization admin (membership g with g % 10 == 0 is an admin), authorised from the cached lookup
        int adminMembership = 10 * random.nextInt(MEMBERSHIPS / 10);
        String adminToken = TestIssuer.get().user(user(adminMembership / 2));
        String adminOrg = org(orgOfMembership(adminMembership));
        report.add(row("GET /api/v1/organizations/{id}/members (as the organization's admin)",
                i -> "/api/v1/organizations/" + adminOrg + "/members", adminToken, SAMPLES, WARMUP));
        report.add(row("GET /internal/v1/users/{id}/organizations (identity-service)",
                i -> "/internal/v1/users/" + user(random.nextInt(MEMBERSHIPS / 2)) + "/organizations", service,
                SAMPLES, WARMUP));

        report.add("");
        report.add("Load average of the machine (1 min) before and after: " + loadBefore + " / " + load()
                + " (2 cores, shared with other builds).");
        String text = String.join("\n", report);
        System.out.println("\n" + text + "\n");
        Path out = Path.of("target", "tenant-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text + "\n");
    }

    private void seed() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("""
                    insert into organization (id, slug, display_name, created_at, updated_at)
                    select 'org_bench' || lpad(i::text, 5, '0'), 'bench-' || i, 'Bench ' || i, now(), now()
                    from generate_series(0, %d) i""".formatted(ORGS - 1));
            s.execute("""
                    insert into role (organization_id, key, display_name, permissions, created_at, updated_at)
                    select 'org_bench' || lpad(i::text, 5, '0'), 'auditor', 'Auditor',
                           '{audit_tail.read,reports.read}', now(), now()
                    from generate_series(0, %d) i""".formatted(ORGS - 1));
            s.execute("""
                    insert into membership (organization_id, user_id, roles, created_at, updated_at)
                    select 'org_bench' || lpad(((g / 2 + (g %% 2) * 5000) %% %d)::text, 5, '0'),
                           'usr_bench' || lpad((g / 2)::text, 6, '0'),
                           case when g %% 10 = 0 then '{admin}'::text[] when g %% 3 = 0 then '{operator}'::text[]
                                else '{viewer}'::text[] end, now(), now()
                    from generate_series(0, %d) g""".formatted(ORGS, MEMBERSHIPS - 1));
            s.execute("""
                    insert into user_group (id, organization_id, name, roles, rate_limit_requests,
                                            rate_limit_window_seconds, rate_limit_burst, created_at, updated_at)
                    select 'grp_bench' || lpad(i::text, 5, '0'), 'org_bench' || lpad(i::text, 5, '0'), 'auditors',
                           '{auditor}', 100, 60, 100, now(), now()
                    from generate_series(0, %d) i""".formatted(ORGS - 1));
            // user i is a member of organization i (membership g = 2i): put them in its group
            s.execute("""
                    insert into group_member (group_id, organization_id, user_id, created_at)
                    select 'grp_bench' || lpad(i::text, 5, '0'), 'org_bench' || lpad(i::text, 5, '0'),
                           'usr_bench' || lpad(i::text, 6, '0'), now()
                    from generate_series(0, %d) i""".formatted(ORGS - 1));
            s.execute("""
                    insert into api_key (id, organization_id, group_id, name, prefix, secret_hash, created_by, created_at)
                    select 'key_bench' || lpad(i::text, 5, '0'), 'org_bench' || lpad(i::text, 5, '0'),
                           'grp_bench' || lpad(i::text, 5, '0'), 'ci', 'gh_live_b' || lpad(i::text, 11, '0'),
                           md5(i::text), 'usr_bench000000', now()
                    from generate_series(0, %d) i""".formatted(ORGS - 1));
            s.execute("""
                    insert into invitation (id, organization_id, email, role, nonce, invited_by, created_at, expires_at)
                    select 'inv_bench' || lpad(i::text, 5, '0'), 'org_bench' || lpad(i::text, 5, '0'),
                           'invitee' || i || '@example.com', 'viewer', md5(i::text), 'usr_bench000000', now(),
                           now() + interval '7 days'
                    from generate_series(0, %d) i""".formatted(ORGS - 1));
            s.execute("""
                    insert into domain (organization_id, domain, verification_token, created_at, verified_at)
                    select 'org_bench' || lpad(i::text, 5, '0'), 'bench' || i || '.example.com', md5(i::text), now(),
                           now()
                    from generate_series(0, %d) i""".formatted(ORGS - 1));
            c.commit();
            c.setAutoCommit(true);
            s.execute("analyze");
        }
    }

    /** The lookup itself, as the permission endpoint runs it, without HTTP and token verification. */
    private String inProcess(int[] members) {
        int samples = 200_000;
        long[] nanos = new long[samples];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < samples; i++) {
                int g = members[random.nextInt(members.length)];
                var organization = new OrgId(org(orgOfMembership(g)));
                var member = new UserId(user(g / 2));
                long start = System.nanoTime();
                if (effective.lookup(organization, member).isEmpty()) {
                    throw new IllegalStateException("not a member: " + member);
                }
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "| permissions, warm, in-process lookup (no HTTP) | %,d | %.4f | %.4f | %.4f | %.2f |",
                samples, ms(nanos, 0.50), ms(nanos, 0.99), ms(nanos, 0.999), nanos[samples - 1] / 1e6);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private void warm(IntFunction<String> path, String token, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            call(path.apply(i), token);
        }
    }

    private String row(String name, IntFunction<String> path, String token, int samples, int warmup)
            throws Exception {
        warm(path, token, warmup);
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            String p = path.apply(i);
            long start = System.nanoTime();
            call(p, token);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f |", name, samples,
                ms(nanos, 0.50), ms(nanos, 0.99), ms(nanos, 0.999), nanos[samples - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private void call(String path, String token) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(server.getURI() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
