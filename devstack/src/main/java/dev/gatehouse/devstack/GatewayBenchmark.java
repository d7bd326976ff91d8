package dev.gatehouse.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code devstack bench-gateway [--seconds N] [--connections N]}: what gateway-edge costs per request (issue 6,
 * Performance). A trivial upstream (nginx answering a fixed 200 JSON), the same upstream behind an nginx
 * {@code proxy_pass} (the reference cost of one proxy hop), and gateway-edge (production-like JVM) in front of it with
 * three routes: public, bearer JWT (RS256, verified locally against a JWKS) and {@code X-API-Key} (fed through a real
 * Kafka topic, as tenant-service publishes it). Every gateway route runs the rate limiter against a real Redis with a
 * policy too generous to refuse, so the numbers include the shared bucket's round trip. wrk drives each target with
 * the same connections after a warm-up; prints a Markdown table for docs/benchmarks.md.
 */
final class GatewayBenchmark {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String ISSUER = "https://bench.gatehouse.local";
    private static final String NGINX = "/usr/sbin/nginx";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private GatewayBenchmark() {
    }

    record Row(String scenario, double perSecond, double p50Ms, double p99Ms, long errors, long rssMib) {
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
        if (!onPath("wrk")) {
            Console.line("ERROR: bench-gateway drives load with wrk: install it (apt-get install wrk)");
            return 1;
        }
        if (!Files.isExecutable(Path.of(NGINX))) {
            Console.line("ERROR: bench-gateway needs nginx as the trivial upstream and reference proxy "
                    + "(apt-get install nginx; the harness starts its own, not the system service)");
            return 1;
        }
        Path work = Files.createTempDirectory("gatehouse-bench-gateway-");
        Process nginx = null;
        Process gateway = null;
        try (Redis redis = Redis.startEmbedded(Ports.freePort());
             KafkaBroker kafka = KafkaBroker.embedded(work.resolve("kafka"), Ports.freePort(), Ports.freePort(),
                     work.resolve("kafka.log")).start()) {
            int upstreamPort = Ports.freePort();
            int nginxProxyPort = Ports.freePort();
            RSAKey key = new RSAKeyGenerator(2048).keyID("bench-" + UUID.randomUUID()).generate();
            // inline: nginx's workers run as nobody and cannot read the private temp directory
            String jwks = new JWKSet(key.toPublicJWK()).toString();
            Files.writeString(work.resolve("nginx.conf"), nginxConf(work, upstreamPort, nginxProxyPort, jwks));
            nginx = new ProcessBuilder(NGINX, "-p", work.toString(), "-c", work.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("nginx.out").toFile()).start();
            if (!Ports.awaitOpen("127.0.0.1", nginxProxyPort, Duration.ofSeconds(10))) {
                throw new IllegalStateException("nginx did not start: " + Files.readString(work.resolve("nginx.out")));
            }
            Console.step("nginx", "upstream on " + upstreamPort + ", proxy on " + nginxProxyPort);

            String apiKey = "gh_live_" + HexFormat.of().formatHex(randomBytes(16));
            publishApiKey(kafka.bootstrapServers(), apiKey, work);
            Console.step("kafka", "API key event published to " + API_KEY_TOPIC);

            ServiceProcess edge = gatewayProcess(work, upstreamPort, redis, kafka);
            List<String> jvm = List.of(System.getenv().getOrDefault("GATEHOUSE_BENCH_JAVA_OPTS",
                    "-Xms256m -Xmx512m -XX:+ExitOnOutOfMemoryError").split(" +"));
            List<String> args = new ArrayList<>(jvm);
            args.add("-Dmicronaut.config.files=" + work.resolve("bench-gateway.yml"));
            gateway = edge.launch(args);
            edge.awaitReady(gateway, READY_TIMEOUT);
            Console.step("gateway-edge", "ready on " + edge.baseUrl() + " with " + String.join(" ", jvm));

            String token = token(key);
            try {
                awaitStatus(edge.baseUrl() + "/bench/public", Map.of(), 200);
                awaitStatus(edge.baseUrl() + "/bench/jwt", Map.of("Authorization", "Bearer " + token), 200);
                awaitStatus(edge.baseUrl() + "/bench/key", Map.of("X-API-Key", apiKey), 200);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "\ngateway log:\n" + edge.logTail(60), e);
            }

            List<Row> rows = new ArrayList<>();
            Process gatewayProcess = gateway;
            rows.add(wrk("upstream direct (nginx)", "http://127.0.0.1:" + upstreamPort + "/bench/public", null,
                    work, seconds, connections, null));
            rows.add(wrk("nginx proxy_pass -> upstream", "http://127.0.0.1:" + nginxProxyPort + "/bench/public",
                    null, work, seconds, connections, null));
            // the JIT compiles the shared proxy path and each authenticator before any gateway row is measured, so
            // the first row measured does not pay for the others' warm-up
            warmUp("gateway, all routes", seconds, connections, List.of(
                    new String[] {edge.baseUrl() + "/bench/public", null},
                    new String[] {edge.baseUrl() + "/bench/jwt", "Authorization: Bearer " + token},
                    new String[] {edge.baseUrl() + "/bench/key", "X-API-Key: " + apiKey}));
            rows.add(wrk("gateway public route", edge.baseUrl() + "/bench/public", null, work, seconds, connections,
                    gatewayProcess));
            rows.add(wrk("gateway JWT route (RS256)", edge.baseUrl() + "/bench/jwt",
                    "Authorization: Bearer " + token, work, seconds, connections, gatewayProcess));
            rows.add(wrk("gateway API-key route", edge.baseUrl() + "/bench/key", "X-API-Key: " + apiKey, work,
                    seconds, connections, gatewayProcess));
            Console.raw(table(rows, seconds, connections, jvm));
            return 0;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } finally {
            if (gateway != null) {
                Processes.terminate(gateway, Duration.ofSeconds(30));
            }
            if (nginx != null) {
                Processes.terminate(nginx, Duration.ofSeconds(10));
            }
            FileUtil.deleteRecursively(work);
        }
    }

    private static final String API_KEY_TOPIC = "gatehouse.tenant.api-key.v1";

    private static String nginxConf(Path work, int upstreamPort, int proxyPort, String jwks) {
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp-body;
                  proxy_temp_path %1$s/tmp-proxy;
                  fastcgi_temp_path %1$s/tmp-fastcgi;
                  uwsgi_temp_path %1$s/tmp-uwsgi;
                  scgi_temp_path %1$s/tmp-scgi;
                  keepalive_requests 1000000;
                  upstream bench_upstream { server 127.0.0.1:%2$d; keepalive 64; }
                  server {
                    listen 127.0.0.1:%2$d;
                    location = /jwks.json { default_type application/json; return 200 '%4$s'; }
                    location / { default_type application/json; return 200 '{"ok":true}'; }
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://bench_upstream;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                    }
                  }
                }
                """.formatted(work, upstreamPort, proxyPort, jwks);
    }

    private static ServiceProcess gatewayProcess(Path work, int upstreamPort, Redis redis, KafkaBroker kafka)
            throws IOException {
        Path jar = Repo.root().resolve("gateway-edge/target/gateway-edge-" + Repo.version() + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("gateway-edge is not built (" + jar + " is missing): ./mvnw -B -DskipTests "
                    + "-pl gateway-edge,devstack -am package");
        }
        int port = Ports.freePort();
        int management = Ports.freePort();
        String upstream = "http://127.0.0.1:" + upstreamPort;
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        env.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
        env.put("ENDPOINTS_ALL_PORT", Integer.toString(management));
        env.put("GATEHOUSE_GATEWAY_UPSTREAMS_IDENTITY", upstream);
        env.put("GATEHOUSE_GATEWAY_UPSTREAMS_SESSION", upstream);
        env.put("GATEHOUSE_GATEWAY_UPSTREAMS_TENANT", upstream);
        env.put("REDIS_URI", redis.uri());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("GATEHOUSE_GATEWAY_AUTH_ISSUER", ISSUER);
        env.put("GATEHOUSE_GATEWAY_AUTH_JWKS_URI", upstream + "/jwks.json");
        env.put("LOGGER_LEVELS_DEV_GATEHOUSE_GATEWAY_PROXY", "WARN");
        // the bench's three routes (in place of the first default ones: the bench calls nothing else), and one
        // rate-limit policy that never refuses but still takes a token from the shared buckets on every request
        Files.writeString(work.resolve("bench-gateway.yml"), """
                gatehouse:
                  gateway:
                    routes:
                      - id: bench-public
                        prefix: /bench/public
                        upstream: identity
                        access: public
                      - id: bench-jwt
                        prefix: /bench/jwt
                        upstream: identity
                        access: authenticated
                        authenticators: [bearer]
                      - id: bench-key
                        prefix: /bench/key
                        upstream: identity
                        access: authenticated
                        authenticators: [api-key]
                    rate-limits:
                      routes:
                        bench-public: bench
                        bench-jwt: bench
                        bench-key: bench
                      policies:
                        bench:
                          ip: 100000000/1s
                          user: 100000000/1s
                          api-key: 100000000/1s
                          group: 100000000/1s
                """);
        return new ServiceProcess("gateway-edge", port, management, jar, env, work.resolve("logs/gateway-edge.log"));
    }

    /** An RS256 access token the gateway accepts: Gatehouse's claims, {@code typ: at+jwt}. */
    private static String token(RSAKey key) throws JOSEException {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("usr_bench").audience("gatehouse")
                .claim("org_id", "org_bench").claim("sid", "ses_bench").claim("client_id", "bench")
                .claim("permissions", List.of("organization.read"))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** Publishes an {@code ApiKeyCreated} envelope with kafka-clients, from a one-file Java program. */
    private static void publishApiKey(String bootstrap, String apiKey, Path work)
            throws IOException, InterruptedException {
        String keyId = "key_bench";
        String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(apiKey));
        String event = """
                {"id":"%s","type":"ApiKeyCreated","version":1,"occurredAt":"%s","tenantId":"org_bench",\
                "payload":{"keyId":"%s","organizationId":"org_bench","groupId":"grp_bench","prefix":"%s",\
                "secretHash":"%s","permissions":["organization.read"],\
                "rateLimit":{"requests":100000000,"windowSeconds":1,"burst":100000000}}}"""
                .formatted(UUID.randomUUID(), DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(
                        ZoneOffset.UTC)), keyId, apiKey.substring(0, 20), hash);
        Path program = work.resolve("PublishEvent.java");
        Files.writeString(program, """
                import org.apache.kafka.clients.admin.Admin;
                import org.apache.kafka.clients.admin.NewTopic;
                import org.apache.kafka.clients.producer.KafkaProducer;
                import org.apache.kafka.clients.producer.ProducerRecord;
                import org.apache.kafka.common.serialization.StringSerializer;
                import java.util.Map;
                public class PublishEvent {
                    public static void main(String[] a) throws Exception {
                        try (var admin = Admin.create(Map.<String, Object>of("bootstrap.servers", a[0]))) {
                            admin.createTopics(java.util.List.of(new NewTopic(a[1], 1, (short) 1)
                                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
                        }
                        try (var p = new KafkaProducer<String, String>(Map.of("bootstrap.servers", a[0]),
                                new StringSerializer(), new StringSerializer())) {
                            p.send(new ProducerRecord<>(a[1], a[2], java.nio.file.Files.readString(
                                    java.nio.file.Path.of(a[3])))).get();
                        }
                    }
                }
                """);
        Files.writeString(work.resolve("event.json"), event);
        Path libs = KafkaBroker.locateKafkaLibs();
        Process p = new ProcessBuilder(KafkaBroker.javaBinary(), "-cp", libs + "/*", program.toString(), bootstrap,
                API_KEY_TOPIC, keyId, work.resolve("event.json").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("publish.log").toFile()).start();
        boolean done = Processes.waitFor(p, Duration.ofSeconds(60));
        if (!done) {
            p.destroyForcibly();
        }
        if (!done || p.exitValue() != 0) {
            throw new IllegalStateException("publishing the API key event failed: "
                    + Files.readString(work.resolve("publish.log")));
        }
    }

    private static void awaitStatus(String url, Map<String, String> headers, int status)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int last = -1;
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
            headers.forEach(b::header);
            HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            last = response.statusCode();
            body = response.body();
            if (last == status) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " answered " + last + " (wanted " + status + "): " + body);
    }

    /** Two rounds of load on every URL (with its header, or null), each as long as one row's own warm-up. */
    private static void warmUp(String what, int seconds, int connections, List<String[]> targets)
            throws IOException, InterruptedException {
        Console.step("bench", what + ": warm-up");
        for (int round = 0; round < 2; round++) {
            for (String[] target : targets) {
                exec(wrkCommand(connections, target[1], warmUpSeconds(seconds), target[0]));
            }
        }
    }

    private static int warmUpSeconds(int seconds) {
        return Math.max(5, seconds / 4);
    }

    /** wrk on 2 threads with {@code connections}, the header if not null, for {@code seconds}, then {@code rest}. */
    private static List<String> wrkCommand(int connections, String header, int seconds, String... rest) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections));
        if (header != null) {
            command.add("-H");
            command.add(header);
        }
        command.add("-d" + seconds + "s");
        command.addAll(List.of(rest));
        return command;
    }

    /** One wrk run after a warm-up; RSS sampled every 250 ms during the measured run when a process is given. */
    private static Row wrk(String scenario, String url, String header, Path work, int seconds, int connections,
                           Process process) throws IOException, InterruptedException {
        Console.step("bench", scenario + ": warm-up");
        exec(wrkCommand(connections, header, warmUpSeconds(seconds), url));
        Console.step("bench", scenario + ": " + seconds + " s, " + connections + " connections");
        AtomicLong peakRss = new AtomicLong();
        Thread sampler = process == null ? null : Thread.ofPlatform().daemon().start(() -> {
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
            out = exec(wrkCommand(connections, header, seconds, "--latency", url));
        } finally {
            if (sampler != null) {
                sampler.interrupt();
            }
        }
        long requests = Long.parseLong(match(out, "([0-9]+) requests in"));
        double elapsed = duration(match(out, "requests in ([0-9.]+[a-z]+),"));
        long non2xx = Long.parseLong(orZero(out, "Non-2xx or 3xx responses:\\s+([0-9]+)"));
        long errors = non2xx + socketErrors(out);
        if (errors > 0) {
            Console.raw(out);
        }
        Row row = new Row(scenario, (requests - non2xx) / elapsed, millis(match(out, "\\s50%\\s+(\\S+)")),
                millis(match(out, "\\s99%\\s+(\\S+)")), errors, peakRss.get() / 1024);
        Console.step("bench", String.format(Locale.ROOT, "%s: %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d",
                scenario, row.perSecond(), row.p50Ms(), row.p99Ms(), errors));
        return row;
    }

    private static String table(List<Row> rows, int seconds, int connections, List<String> jvm) {
        StringBuilder out = new StringBuilder();
        out.append("\nwrk -t2 -c").append(connections).append(' ').append(seconds).append(" s per target; gateway JVM: ")
                .append(String.join(" ", jvm)).append("\n\n");
        out.append("| target | throughput | p50 | p99 | errors | gateway RSS |\n|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.0f/s | %.2f ms | %.2f ms | %d | %s |%n", r.scenario(),
                    r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(), r.rssMib() == 0 ? "" : r.rssMib() + " MiB"));
        }
        Row direct = rows.get(0);
        Row nginx = rows.get(1);
        Row pub = rows.get(2);
        out.append("\n| comparison | value |\n|---|---|\n");
        out.append(String.format(Locale.ROOT, "| nginx hop: added p99 over direct | %+.2f ms |%n",
                nginx.p99Ms() - direct.p99Ms()));
        for (Row r : rows.subList(2, rows.size())) {
            out.append(String.format(Locale.ROOT, "| %s: added p99 over direct | %+.2f ms |%n", r.scenario(),
                    r.p99Ms() - direct.p99Ms()));
        }
        for (Row r : rows.subList(3, rows.size())) {
            out.append(String.format(Locale.ROOT, "| %s: throughput vs public route | %.1f%% |%n", r.scenario(),
                    100 * r.perSecond() / pub.perSecond()));
            out.append(String.format(Locale.ROOT, "| %s: added p99 over public route | %+.2f ms |%n", r.scenario(),
                    r.p99Ms() - pub.p99Ms()));
        }
        return out.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** wrk's latency: {@code 812.00us}, {@code 1.23ms}, {@code 2.00s}. */
    static double millis(String text) {
        double value = Double.parseDouble(text.replaceAll("[a-z]+$", ""));
        return text.endsWith("us") ? value / 1000 : text.endsWith("ms") ? value : text.endsWith("m") ? value * 60_000
                : value * 1000;
    }

    /** wrk's duration: {@code 20.01s}, {@code 1.00m}, {@code 500.00ms}. */
    private static double duration(String text) {
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
}
