package dev.gatehouse.gateway.edge;

import dev.gatehouse.gateway.testing.EchoUpstream;
import dev.gatehouse.gateway.testing.RedisProcess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gateway-edge's limits over real HTTP: rate limits in a real Redis (a redis-server child process the test kills),
 * shared by two gateway instances; security headers; CORS per route; oversized requests. The upstream is a real HTTP
 * server that counts what reaches it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeLimitsTest implements TestPropertyProvider {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger NEXT_IP = new AtomicInteger(1);

    private EchoUpstream upstream;
    private RedisProcess redis;

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    dev.gatehouse.gateway.limit.RateLimiter limiter;

    @Override
    public Map<String, String> getProperties() {
        if (upstream == null) {
            upstream = EchoUpstream.start();
            redis = RedisProcess.start();
        }
        Map<String, String> props = new HashMap<>(gatewayProperties(upstream, redis));
        props.put("gatehouse.gateway.edge.trusted-proxies", "127.0.0.1");
        props.put("gatehouse.gateway.edge.request-head-timeout", "1s");
        return props;
    }

    /** What both gateway instances share: routes, policies, Redis. */
    static Map<String, String> gatewayProperties(EchoUpstream upstream, RedisProcess redis) {
        Map<String, String> props = new HashMap<>();
        for (String name : new String[] {"identity", "session", "tenant"}) {
            props.put("gatehouse.gateway.upstreams." + name, upstream.uri().toString());
        }
        props.put("endpoints.all.port", String.valueOf(RedisProcess.freePort()));
        props.put("micronaut.server.max-request-size", "1024");
        props.put("gatehouse.gateway.rate-limits.redis-uri", redis.uri());
        // generous on a busy 2-core machine; the breaker test below kills Redis, so it is not slow either
        props.put("gatehouse.gateway.rate-limits.redis-timeout", "1s");
        props.put("gatehouse.gateway.rate-limits.breaker-open-for", "1s");
        props.put("gatehouse.gateway.rate-limits.policies.default.ip", "10000/1m");
        // a token every 2 s: slow enough that a busy machine does not refill between two requests
        props.put("gatehouse.gateway.rate-limits.policies.tight.ip", "2/4s");
        props.put("gatehouse.gateway.rate-limits.policies.shared.ip", "3/1m");
        // after the 16 default routes (indexes 0-15): an index inside them would merge into a default route
        route(props, 16, "limited", "/limited/", "rate-limit", "tight");
        route(props, 17, "seed001", "/seed001/", "rate-limit", "tight");
        props.put("gatehouse.gateway.routes[17].errors", "success-false");
        route(props, 18, "shared", "/shared/", "rate-limit", "shared");
        route(props, 19, "cors", "/cors/", "cors", "app");
        route(props, 20, "plain", "/plain/", null, null);
        props.put("gatehouse.gateway.cors.policies.app.allowed-origins", "https://app.example.com");
        props.put("gatehouse.gateway.cors.policies.app.allowed-methods", "GET,POST");
        props.put("gatehouse.gateway.cors.policies.app.allowed-headers", "content-type,x-requested-with");
        props.put("gatehouse.gateway.cors.policies.app.exposed-headers", "X-Request-Id");
        props.put("gatehouse.gateway.cors.policies.app.allow-credentials", "true");
        props.put("gatehouse.gateway.cors.policies.app.max-age", "5m");
        return props;
    }

    private static void route(Map<String, String> props, int i, String id, String prefix, String key, String value) {
        props.put("gatehouse.gateway.routes[" + i + "].id", id);
        props.put("gatehouse.gateway.routes[" + i + "].prefix", prefix);
        props.put("gatehouse.gateway.routes[" + i + "].upstream", "identity");
        if (key != null) {
            props.put("gatehouse.gateway.routes[" + i + "]." + key, value);
        }
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @AfterAll
    void stop() {
        upstream.close();
        redis.close();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    /** A client address of its own (the test's 127.0.0.1 is a trusted proxy), so that tests do not share buckets. */
    private static String freshIp() {
        int n = NEXT_IP.getAndIncrement();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(URI base, String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    private Map<String, Object> body(HttpResponse<String> response) {
        try {
            return json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> problem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        Map<String, Object> problem = body(response);
        assertThat(problem).containsEntry("type", "urn:gatehouse:problem:" + type).containsEntry("status", status)
                .containsKey("requestId");
        return problem;
    }

    // ---- rate limits ----------------------------------------------------------------------------------------------

    @Test
    void anEmptyBucketAnswers429WithRetryAfterThenRecoversAfterRefill() throws InterruptedException {
        // warm (a cold JVM on a busy machine could let the bucket refill between the requests below)
        for (int i = 0; i < 5; i++) {
            get(base(), "/limited/warm", "X-Forwarded-For", freshIp());
        }
        String ip = freshIp();
        HttpResponse<String> first = get(base(), "/limited/a", "X-Forwarded-For", ip);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"ip\";q=2;w=4");
        assertThat(first.headers().firstValue("RateLimit")).hasValue("\"ip\";r=1;t=2");
        assertThat(get(base(), "/limited/a", "X-Forwarded-For", ip).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = get(base(), "/limited/a", "X-Forwarded-For", ip);
        Map<String, Object> problem = problem(refused, 429, "too-many-requests");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(problem.get("detail").toString()).contains("retry in " + retryAfter + " s");
        assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"ip\";r=0;t=" + retryAfter);
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"ip\";q=2;w=4");
        assertThat(upstream.hits()).as("the refused request never reached the upstream").isEqualTo(5 + 2);

        // another client is not affected
        assertThat(get(base(), "/limited/a", "X-Forwarded-For", freshIp()).statusCode()).isEqualTo(200);

        Thread.sleep(retryAfter * 1_000);
        assertThat(get(base(), "/limited/a", "X-Forwarded-For", ip).statusCode()).as("refilled").isEqualTo(200);
    }

    @Test
    void aSeed001RouteAnswers429InItsOwnShape() {
        String ip = freshIp();
        get(base(), "/seed001/x", "X-Forwarded-For", ip);
        get(base(), "/seed001/x", "X-Forwarded-For", ip);
        HttpResponse<String> refused = get(base(), "/seed001/x", "X-Forwarded-For", ip);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        assertThat(body(refused)).containsEntry("success", false).containsKey("error");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void twoGatewayInstancesShareTheBucketsThroughRedis() throws InterruptedException {
        // the Redis-killing test may have run first: until this instance's breaker has closed again it counts in
        // its local buckets, and the two instances would not share anything
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!limiter.sharing() && System.nanoTime() < deadline) {
            get(base(), "/plain/reconnect");
            Thread.sleep(200);
        }
        assertThat(limiter.sharing()).as("the first instance uses the shared buckets").isTrue();
        upstream.reset();
        Map<String, Object> props = new HashMap<>(gatewayProperties(upstream, redis));
        props.put("micronaut.server.port", "-1");
        try (ApplicationContext other = ApplicationContext.run(props, "test")) {
            EmbeddedServer second = other.getBean(EmbeddedServer.class).start();
            URI secondBase = URI.create("http://127.0.0.1:" + second.getPort());
            String ip = "203.0.113.7";
            // 127.0.0.1 is a trusted proxy of the first instance only; without X-Forwarded-For both see client
            // 127.0.0.1, and the second ignores the header (it trusts no proxy)
            assertThat(get(base(), "/shared/1").statusCode()).isEqualTo(200);
            assertThat(get(secondBase, "/shared/2").statusCode()).isEqualTo(200);
            assertThat(get(base(), "/shared/3").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = get(secondBase, "/shared/4", "X-Forwarded-For", ip);
            problem(refused, 429, "too-many-requests");
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                    s -> assertThat(Long.parseLong(s)).isBetween(15L, 20L));
            assertThat(upstream.hits()).isEqualTo(3);

            // the second instance trusts no proxy: a forwarded https is not believed, so no HSTS there
            HttpResponse<String> plain = get(secondBase, "/plain/x", "X-Forwarded-Proto", "https");
            assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void withRedisKilledRequestsKeepFlowingAndLocalBucketsStillLimit() {
        try {
            assertThat(get(base(), "/plain/warm").statusCode()).isEqualTo(200);
            redis.kill();
            String ip = freshIp();
            // the first request may wait up to redis-timeout (1 s here) for the failure that opens the breaker
            long first = System.nanoTime();
            assertThat(get(base(), "/plain/first").statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - first) / 1_000_000).isLessThan(2_000);
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(get(base(), "/plain/x" + i).statusCode()).isEqualTo(200);
            }
            long perRequestMicros = (System.nanoTime() - started) / 20_000;
            // far below redis-timeout (1 s): the open breaker does not wait for Redis (the exact cost of a hung Redis
            // is measured without HTTP noise in RateLimiterTest)
            assertThat(perRequestMicros).as("a dead Redis adds no wait").isLessThan(250_000);
            assertThat(get(base(), "/limited/y", "X-Forwarded-For", ip).statusCode()).isEqualTo(200);
            assertThat(get(base(), "/limited/y", "X-Forwarded-For", ip).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = get(base(), "/limited/y", "X-Forwarded-For", ip);
            problem(refused, 429, "too-many-requests");
        } finally {
            redis.restart();
        }
    }

    @Inject
    EdgeConfig edgeConfig;

    @Test
    void trustedProxiesAreConfigured() {
        assertThat(edgeConfig.trustedProxies()).containsExactly("127.0.0.1");
    }

    // ---- security headers -----------------------------------------------------------------------------------------

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndHstsOnlyOverTls() {
        upstream.answerWith("Strict-Transport-Security", "max-age=1");
        HttpResponse<String> plain = get(base(), "/plain/x");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(plain.headers().firstValue("Content-Security-Policy")).hasValue("frame-ancestors 'none'");
        assertThat(plain.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(plain.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).as("plain HTTP").isEmpty();

        HttpResponse<String> tls = get(base(), "/plain/x", "X-Forwarded-Proto", "https");
        assertThat(tls.headers().firstValue("Strict-Transport-Security"))
                .hasValue("max-age=31536000; includeSubDomains");

        HttpResponse<String> notFound = get(base(), "/nowhere");
        problem(notFound, 404, "not-found");
        assertThat(notFound.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(notFound.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void anUpstreamPolicyKeepsItsDirectivesAndGainsFrameAncestors() {
        upstream.answerWith("Content-Security-Policy", "default-src 'self'");
        HttpResponse<String> response = get(base(), "/plain/x");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'self'; frame-ancestors 'none'");
    }

    // ---- CORS -----------------------------------------------------------------------------------------------------

    private HttpResponse<String> preflight(String path, String origin, String method, String headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base().resolve(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method);
        if (headers != null) {
            builder.header("Access-Control-Request-Headers", headers);
        }
        return send(builder.build());
    }

    @Test
    void anAllowedPreflightIsAnsweredAtTheGateway() {
        HttpResponse<String> response = preflight("/cors/items", "https://app.example.com", "POST",
                "Content-Type, X-Requested-With");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("content-type, x-requested-with");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("300");
        assertThat(upstream.hits()).as("preflights never reach the upstream").isZero();
    }

    @Test
    void refusedPreflightsAre403WithoutAllowHeaders() {
        for (HttpResponse<String> response : new HttpResponse[] {
                preflight("/cors/items", "https://evil.example", "GET", null),
                preflight("/cors/items", "https://app.example.com", "DELETE", null),
                preflight("/cors/items", "https://app.example.com", "POST", "Authorization-Override"),
                preflight("/cors/items", "null", "GET", null),
                preflight("/plain/items", "https://app.example.com", "GET", null)}) {
            problem(response, 403, "forbidden");
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void crossOriginAnswersCarryThePolicyOfTheGatewayNotTheUpstreams() {
        upstream.answerWith("Access-Control-Allow-Origin", "*");
        HttpResponse<String> allowed = get(base(), "/cors/items", "Origin", "https://app.example.com");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("X-Request-Id");
        assertThat(allowed.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));

        HttpResponse<String> other = get(base(), "/cors/items", "Origin", "https://evil.example");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(other.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    // ---- sizes ----------------------------------------------------------------------------------------------------

    @Test
    void anOverlongUrlIs414() {
        HttpResponse<String> response = get(base(), "/plain/" + "a".repeat(9000));
        problem(response, 414, "uri-too-long");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void oversizedHeadersAre431() {
        HttpResponse<String> response = get(base(), "/plain/x", "X-Big-1", "b".repeat(9000), "X-Big-2",
                "b".repeat(9000));
        problem(response, 431, "request-headers-too-large");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void aDeclaredOversizedBodyIs413() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base().resolve("/plain/upload"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2048))).build());
        problem(response, 413, "payload-too-large");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void requestsBeyondNettysOwnLimitsStillGetAnAnswer() {
        String line = raw(server.getPort(), "GET /plain/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x");
        assertThat(line).startsWith("HTTP/1.1 414");
        String headers = raw(server.getPort(), "GET /plain/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000));
        assertThat(headers).startsWith("HTTP/1.1 431");
    }

    @Test
    void aClientTooSlowToSendItsHeadersGets408AndIsDisconnected() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /plain/x HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long started = System.nanoTime();
            // slowloris: a header line now and then, never the blank line
            byte[] answer;
            try {
                for (int i = 0; i < 6; i++) {
                    out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    sleep(250);
                }
            } catch (IOException closedMeanwhile) {
                // the gateway hung up: read what it said
            }
            answer = socket.getInputStream().readAllBytes();
            long millis = (System.nanoTime() - started) / 1_000_000;
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 408").contains("urn:gatehouse:problem:request-timeout");
            assertThat(millis).isLessThan(5_000);
        }
        assertThat(upstream.hits()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends a raw request head and returns what comes back until the server closes or stays silent for 2 s. */
    static String raw(int port, String head) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            var received = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException done) {
                // keep-alive connection, or reset after the answer
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
