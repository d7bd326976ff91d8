package dev.gatehouse.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code devstack bench-session [--seconds N] [--connections N]}: the authorization server's throughput, with wrk
 * as the load generator on this machine. Starts embedded PostgreSQL, Redis and Kafka and session-service alone
 * (production-like JVM: C2, {@code GATEHOUSE_BENCH_JAVA_OPTS}), declares the benchmark's clients in a bootstrap
 * file, measures the raw 2-thread RS256 signing rate of this machine in-process, then drives each endpoint for the
 * run length (after a warm-up of a quarter of it): client_credentials grants, refresh with rotation (every
 * connection follows its own chain of refresh tokens), introspection and userinfo. Prints a Markdown table for
 * docs/benchmarks.md with throughput, p50/p99 latency and the service's peak RSS during the run.
 */
final class SessionBenchmark {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String ADMIN_SECRET = "bench-secret-0123456789-0123456789-abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern STRING_FIELD = Pattern.compile("\"%s\"\\s*:\\s*\"([^\"]+)\"");

    private SessionBenchmark() {
    }

    record Row(String scenario, double perSecond, String p50, String p99, long errors, long rssMib) {
    }

    static int run(int seconds, int connections) throws IOException {
        try {
            return measure(seconds, connections);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static int measure(int seconds, int connections) throws IOException, InterruptedException {
        if (!new java.io.File("/usr/bin/wrk").canExecute() && !onPath("wrk")) {
            Console.line("ERROR: bench-session drives load with wrk: install it (apt-get install wrk)");
            return 1;
        }
        Path work = Files.createTempDirectory("gatehouse-bench-");
        try (Infra infra = new Infra(Settings.embedded(work, true))) {
            double signRate = signingRate(2, Duration.ofSeconds(10));
            Console.step("signing", String.format(Locale.ROOT, "raw RS256, 2 threads: %.0f/s", signRate));
            infra.startAll();
            var backends = new Cluster.Backends(infra.postgres(), infra.redis().uri(),
                    infra.kafka().bootstrapServers(), "");
            backends.createDatabases();
            Path bootstrap = work.resolve("bootstrap.yml");
            Files.writeString(bootstrap, bootstrapFile());
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("GATEHOUSE_BOOTSTRAP_FILE", bootstrap.toString());
            ServiceProcess clustered = Cluster.services(Cluster.Ports.free(), Cluster.jars(Repo.root()), backends, env,
                    Map.of(), work.resolve("logs")).stream().filter(s -> s.name().equals("session-service"))
                    .findFirst().orElseThrow();
            // alone: no tenant-service to ask for permissions (tokens carry an empty permissions claim)
            Map<String, String> alone = new HashMap<>(clustered.env());
            alone.remove("GATEHOUSE_SESSION_TENANT_URL");
            ServiceProcess session = new ServiceProcess(clustered.name(), clustered.port(), clustered.healthPort(),
                    clustered.jar(), alone, clustered.logFile());
            List<String> jvm = List.of(System.getenv().getOrDefault("GATEHOUSE_BENCH_JAVA_OPTS",
                    "-Xms256m -Xmx512m -XX:+ExitOnOutOfMemoryError").split(" +"));
            Process process = session.launch(jvm);
            try {
                session.awaitReady(process, READY_TIMEOUT);
                Console.step("session-service", "ready on " + session.baseUrl() + " with " + String.join(" ", jvm));
                List<Row> rows = scenarios(session.baseUrl(), work, seconds, connections, process);
                Console.raw(table(signRate, rows, seconds, connections, jvm));
            } finally {
                Processes.terminate(process, Duration.ofSeconds(30));
            }
            return 0;
        } finally {
            FileUtil.deleteRecursively(work);
        }
    }

    private static List<Row> scenarios(String base, Path work, int seconds, int connections, Process process)
            throws IOException, InterruptedException {
        String internal = token(base, "bench-internal", "client_credentials", null);
        List<Row> rows = new ArrayList<>();

        Path cc = lua(work, "cc.lua", """
                wrk.method = "POST"
                wrk.body = "grant_type=client_credentials"
                wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
                wrk.headers["Authorization"] = "%s"
                """.formatted(basic("bench-service")));
        rows.add(wrk("client_credentials grant", base + "/oauth2/token", cc, seconds, connections, process, NOTHING));

        // one refresh chain per connection (wrk threads split the connections; each thread reads its own file),
        // drawn afresh before the warm-up and before the measured run: a rotated token must never be sent again
        int threads = 2;
        Prepare chains = () -> {
            for (int t = 0; t < threads; t++) {
                List<String> tokens = new ArrayList<>();
                // four chains per connection: a connection wrk recycles takes the token it had drawn with it
                for (int i = 0; i < 4 * connections / threads; i++) {
                    tokens.add(field(session(base, internal, "tokens"), "refreshToken"));
                }
                Files.write(work.resolve("refresh-" + (t + 1) + ".txt"), tokens);
            }
        };
        Path refresh = lua(work, "refresh.lua", """
                local counter = 1
                function setup(thread) thread:set("id", counter); counter = counter + 1 end
                local queue = {}
                function init(args)
                  for line in io.lines("%1$s/refresh-" .. id .. ".txt") do table.insert(queue, line) end
                end
                local exhausted = 0
                function request()
                  local token = table.remove(queue, 1)
                  if not token then
                    exhausted = exhausted + 1
                    token = "ghr_exhausted"
                  end
                  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",
                    ["Authorization"] = "%2$s"}, "grant_type=refresh_token&refresh_token=" .. token)
                end
                local reported = false
                function response(status, headers, body)
                  local token = string.match(body, '"refresh_token":"([^"]+)"')
                  if token then table.insert(queue, token) end
                  if status ~= 200 and not reported then
                    reported = true
                    local f = io.open("%1$s/refresh-error-" .. id .. ".txt", "w")
                    f:write(status .. " " .. body .. " (chains exhausted so far: " .. exhausted .. ")")
                    f:close()
                  end
                end
                """.formatted(work, basic("bench-app")));
        rows.add(wrk("refresh_token grant with rotation", base + "/oauth2/token", refresh, seconds, connections,
                process, chains));
        for (int t = 1; t <= threads; t++) {
            Path error = work.resolve("refresh-error-" + t + ".txt");
            if (Files.exists(error)) {
                Console.step("bench", "first refresh error (thread " + t + "): " + Files.readString(error));
            }
        }

        List<String> accessTokens = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            accessTokens.add(token(base, "bench-service", "client_credentials", null));
        }
        Files.write(work.resolve("access.txt"), accessTokens);
        Path introspect = lua(work, "introspect.lua", """
                local tokens = {}
                local n = 0
                function init(args)
                  for line in io.lines("%s/access.txt") do table.insert(tokens, line) end
                end
                function request()
                  n = n + 1
                  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",
                    ["Authorization"] = "%s"}, "token=" .. tokens[(n %% #tokens) + 1])
                end
                """.formatted(work, basic("bench-resource")));
        rows.add(wrk("introspection", base + "/oauth2/introspect", introspect, seconds, connections, process, NOTHING));

        List<String> userTokens = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            userTokens.add(field(session(base, internal, "tokens"), "accessToken"));
        }
        Files.write(work.resolve("user.txt"), userTokens);
        Path userinfo = lua(work, "userinfo.lua", """
                local tokens = {}
                local n = 0
                function init(args)
                  for line in io.lines("%s/user.txt") do table.insert(tokens, line) end
                end
                function request()
                  n = n + 1
                  return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1]})
                end
                """.formatted(work));
        rows.add(wrk("userinfo", base + "/oauth2/userinfo", userinfo, seconds, connections, process, NOTHING));
        return rows;
    }

    /** What a scenario sets up before each wrk run. */
    @FunctionalInterface
    private interface Prepare {
        void run() throws IOException, InterruptedException;
    }

    private static final Prepare NOTHING = () -> { };

    /** One wrk run after a warm-up; RSS sampled every 250 ms during the measured run. */
    private static Row wrk(String scenario, String url, Path script, int seconds, int connections, Process process,
                           Prepare prepare) throws IOException, InterruptedException {
        Console.step("bench", scenario + ": warm-up");
        prepare.run();
        exec(List.of("wrk", "-t2", "-c" + connections, "-d" + Math.max(5, seconds / 4) + "s", "-s", script.toString(),
                url));
        prepare.run();
        Console.step("bench", scenario + ": " + seconds + " s, " + connections + " connections");
        AtomicLong peakRss = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(StartupBenchmark.rssKib(process), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        String out;
        try {
            out = exec(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s",
                    script.toString(), url));
        } finally {
            sampler.interrupt();
        }
        // successful answers per second: wrk's Requests/sec counts error answers too
        long requests = Long.parseLong(match(out, "([0-9]+) requests in"));
        double elapsed = seconds(match(out, "requests in ([0-9.]+[a-z]+),"));
        long errors = Long.parseLong(orZero(out, "Non-2xx or 3xx responses:\\s+([0-9]+)"))
                + socketErrors(out);
        double rate = (requests - Long.parseLong(orZero(out, "Non-2xx or 3xx responses:\\s+([0-9]+)"))) / elapsed;
        if (errors > 0) {
            Console.raw(out);
        }
        Row row = new Row(scenario, rate, match(out, "\\s50%\\s+(\\S+)"), match(out, "\\s99%\\s+(\\S+)"), errors,
                peakRss.get() / 1024);
        Console.step("bench", String.format(Locale.ROOT, "%s: %.0f/s, p50 %s, p99 %s, errors %d", scenario,
                row.perSecond(), row.p50(), row.p99(), errors));
        return row;
    }

    /** wrk's duration: {@code 20.01s}, {@code 1.00m}, {@code 500.00ms}. */
    private static double seconds(String text) {
        double value = Double.parseDouble(text.replaceAll("[a-z]+$", ""));
        return text.endsWith("ms") ? value / 1000 : text.endsWith("m") ? value * 60 : value;
    }

    private static long socketErrors(String out) {
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        if (!m.find()) {
            return 0;
        }
        long sum = 0;
        for (int i = 1; i <= 4; i++) {
            sum += Long.parseLong(m.group(i));
        }
        return sum;
    }

    /** The raw RS256 signing rate of this machine: {@code threads} threads signing small JWTs with Nimbus. */
    static double signingRate(int threads, Duration duration) throws InterruptedException {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyID("bench").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long warmEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    var signer = new RSASSASigner(key);
                    var header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench").build();
                    var claims = new JWTClaimsSet.Builder().issuer("https://bench").subject("user")
                            .audience("api").expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
                    while (System.nanoTime() < end) {
                        var jwt = new SignedJWT(header, claims);
                        jwt.sign(signer);
                        jwt.serialize();
                        if (System.nanoTime() > warmEnd) {
                            count.incrementAndGet();
                        }
                    }
                } catch (JOSEException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return count.get() / ((end - warmEnd) / 1e9);
    }

    private static String bootstrapFile() {
        return """
                version: 1
                clients:
                  - clientId: bench-internal
                    type: confidential
                    displayName: Benchmark internal caller
                    secret: %1$s
                    grantTypes: [client_credentials]
                    scopes: ["gatehouse:internal"]
                    audiences: [gatehouse]
                  - clientId: bench-service
                    type: confidential
                    displayName: Benchmark service
                    secret: %1$s
                    grantTypes: [client_credentials]
                    scopes: [orders.read]
                    audiences: [https://api.bench]
                  - clientId: bench-resource
                    type: confidential
                    displayName: Benchmark resource server
                    secret: %1$s
                    grantTypes: [client_credentials]
                    audiences: [https://api.bench]
                    resourceAudience: https://api.bench
                  - clientId: bench-app
                    type: confidential
                    displayName: Benchmark app
                    secret: %1$s
                    grantTypes: [authorization_code, refresh_token]
                    redirectUris: ["https://app.bench/callback"]
                    scopes: [openid, profile, email, offline_access]
                    audiences: [https://api.bench]
                """.formatted(ADMIN_SECRET);
    }

    private static String session(String base, String internalToken, String delivery)
            throws IOException, InterruptedException {
        String body = """
                {"user": {"userId": "usr_bench%d", "organizationId": "org_bench", "email": "bench@example.com",
                 "emailVerified": true, "name": "Bench User"},
                 "clientId": "bench-app", "scopes": ["openid", "profile", "email", "offline_access"],
                 "delivery": "%s"}""".formatted(System.nanoTime() % 100_000, delivery);
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/internal/v1/sessions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + internalToken)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating a session failed: " + response.statusCode() + " "
                    + response.body());
        }
        return response.body();
    }

    private static String token(String base, String clientId, String grant, String extra)
            throws IOException, InterruptedException {
        String body = "grant_type=" + grant + (extra == null ? "" : "&" + extra);
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic(clientId))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return field(response.body(), "access_token");
    }

    private static String basic(String clientId) {
        return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + ":" + URLEncoder.encode(ADMIN_SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile(String.format(STRING_FIELD.pattern(), name)).matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static Path lua(Path work, String name, String text) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output (no " + regex + "):\n" + text);
        }
        return m.group(1);
    }

    private static String orZero(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "0";
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static String table(double signRate, List<Row> rows, int seconds, int connections, List<String> jvm) {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Raw RS256 signing on this machine, 2 threads (Nimbus, in-process):"
                + " **%.0f/s**%n%n", signRate));
        out.append("wrk -t2 -c").append(connections).append(", ").append(seconds)
                .append(" s per scenario after a warm-up, session-service alone with `").append(String.join(" ", jvm))
                .append("`, everything on this machine\n\n");
        out.append("| scenario | throughput | p50 | p99 | errors | peak RSS |\n|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.0f/s | %s | %s | %d | %d MiB |%n", r.scenario(),
                    r.perSecond(), r.p50(), r.p99(), r.errors(), r.rssMib()));
        }
        return out.toString();
    }
}
