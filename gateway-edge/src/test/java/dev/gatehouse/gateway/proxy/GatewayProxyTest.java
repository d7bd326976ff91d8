package dev.gatehouse.gateway.proxy;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.gatehouse.gateway.proxy.GatewayClient.assertProblem;
import static dev.gatehouse.gateway.proxy.GatewayClient.fetch;
import static dev.gatehouse.gateway.proxy.GatewayClient.raw;
import static dev.gatehouse.gateway.proxy.GatewayClient.send;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway in front of three real stub services, asserting what crosses the wire on both sides. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayProxyTest implements TestPropertyProvider {
    private StubUpstream identity;
    private StubUpstream session;
    private StubUpstream tenant;
    private int managementPort;

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        if (identity == null) {
            identity = StubUpstream.start("identity");
            session = StubUpstream.start("session");
            tenant = StubUpstream.start("tenant");
            managementPort = GatewayClient.freePort();
        }
        return Map.of(
                "gatehouse.gateway.upstreams.identity", identity.uri().toString(),
                "gatehouse.gateway.upstreams.session", session.uri().toString(),
                "gatehouse.gateway.upstreams.tenant", tenant.uri().toString(),
                "endpoints.all.port", String.valueOf(managementPort),
                // one deeper route on top of the defaults, to show that the longest prefix wins
                "gatehouse.gateway.routes[16].prefix", "/api/v1/organizations/imports/",
                "gatehouse.gateway.routes[16].upstream", "session");
    }

    @BeforeEach
    void resetStubs() {
        List.of(identity, session, tenant).forEach(StubUpstream::reset);
    }

    @AfterAll
    void stopStubs() {
        List.of(identity, session, tenant).forEach(StubUpstream::close);
    }

    private URI publicUri() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    private URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    private StubUpstream stub(String name) {
        return switch (name) {
            case "identity" -> identity;
            case "session" -> session;
            case "tenant" -> tenant;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private void assertNoUpstreamCalled() {
        assertThat(identity.requests()).isEmpty();
        assertThat(session.requests()).isEmpty();
        assertThat(tenant.requests()).isEmpty();
    }

    @ParameterizedTest(name = "{1} {2} -> {0}")
    @CsvSource({
            "identity, GET,    /auth/login?return_to=%2Fhome",
            "identity, POST,   /api/v1/auth/magic/start",
            "identity, GET,    /api/v1/oauth/google/callback?code=abc&state=x%20y",
            "identity, GET,    /api/v1/users",
            "identity, PATCH,  /api/v1/users/usr_123",
            "session,  POST,   /oauth2/token",
            "session,  GET,    /.well-known/openid-configuration",
            "session,  DELETE, /api/v1/sessions/current",
            "session,  POST,   /api/v1/clients/cl_1/secret",
            "tenant,   POST,   /api/v1/invitations/accept",
            "tenant,   POST,   /api/v1/organizations",
            "tenant,   PUT,    /api/v1/organizations/org_1/members?page=2&size=10",
    })
    void eachServiceReceivesTheRequestsForItsPrefixesIntact(String upstream, String method, String pathAndQuery) {
        boolean hasBody = !method.equals("GET") && !method.equals("DELETE");
        String body = "{\"probe\":\"" + method + " " + pathAndQuery + "\"}";
        var request = HttpRequest.newBuilder(publicUri().resolve(pathAndQuery))
                .method(method, hasBody ? HttpRequest.BodyPublishers.ofString(body)
                        : HttpRequest.BodyPublishers.noBody());
        if (hasBody) {
            request.header("Content-Type", "application/json; charset=utf-8");
        }

        HttpResponse<String> response = send(request.build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"upstream\":\"" + upstream + "\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        StubUpstream.Recorded received = stub(upstream).onlyRequest();
        URI sent = URI.create(pathAndQuery);
        assertThat(received.method()).isEqualTo(method);
        assertThat(received.path()).isEqualTo(sent.getRawPath());
        assertThat(received.query()).isEqualTo(sent.getRawQuery());
        if (hasBody) {
            assertThat(received.bodyText()).isEqualTo(body);
            assertThat(received.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        } else {
            assertThat(received.body()).isEmpty();
        }
        List.of("identity", "session", "tenant").stream().filter(n -> !n.equals(upstream))
                .forEach(other -> assertThat(stub(other).requests()).as(other).isEmpty());
    }

    @Test
    void theLongestMatchingPrefixWins() {
        assertThat(fetch(publicUri(), "/api/v1/organizations/imports/42").statusCode()).isEqualTo(200);
        assertThat(session.onlyRequest().path()).isEqualTo("/api/v1/organizations/imports/42");
        assertThat(tenant.requests()).isEmpty();

        assertThat(fetch(publicUri(), "/api/v1/organizations/importsX").statusCode()).isEqualTo(200);
        assertThat(tenant.onlyRequest().path()).isEqualTo("/api/v1/organizations/importsX");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/organizationsX", "/api/v1/usersearch", "/oauth2", "/", "/api/v1", "/favicon.ico"})
    void aPathNoRouteMatchesIsTheGatewaysOwn404(String path) {
        Map<String, Object> problem = assertProblem(json, fetch(publicUri(), path), 404, "not-found");

        assertThat(problem).containsEntry("instance", path);
        assertNoUpstreamCalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/internal/v1/organizations/x", "/internal", "/internal/"})
    void internalPathsAreNeverRouted(String path) {
        assertProblem(json, fetch(publicUri(), path), 404, "not-found");

        assertNoUpstreamCalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/organizations/../../../internal/v1/organizations/x",
            "/api/v1/organizations/%2e%2e/%2E%2E/%2e%2e/internal/v1/organizations/x",
            "/api/v1/users/..%2f..%2f..%2finternal/v1/organizations/x",
            "/api/v1/users/./usr_1",
    })
    void pathsWithDotSegmentsAreNotForwarded(String path) {
        String response = raw(server.getPort(), "GET " + path + " HTTP/1.1\r\nHost: gw\r\nConnection: close");

        assertThat(response).startsWith("HTTP/1.1 404").containsIgnoringCase("application/problem+json");
        assertNoUpstreamCalled();
    }

    @Test
    void reservedAndForwardingHeadersAreRewritten() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(publicUri().resolve("/api/v1/users/usr_1"))
                .header("X-Gatehouse-User", "usr_admin")
                .header("x-gatehouse-org", "org_victim")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "https")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .header("tracestate", "gh=abc")
                .header("Authorization", "Bearer not-checked-yet")
                .GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        StubUpstream.Recorded received = identity.onlyRequest();
        assertThat(received.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-gatehouse-"));
        assertThat(received.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + server.getPort());
        assertThat(received.header("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(received.header("tracestate")).isEqualTo("gh=abc");
        assertThat(received.header("Authorization")).isEqualTo("Bearer not-checked-yet");
        assertThat(received.header("Host")).isEqualTo(identity.uri().getAuthority());
    }

    @Test
    void hopByHopHeadersAreDropped() {
        String response = raw(server.getPort(), String.join("\r\n",
                "GET /api/v1/users/usr_1 HTTP/1.1",
                "Host: gatehouse.example",
                "Connection: close, X-Hop-Secret",
                "X-Hop-Secret: only-for-the-gateway",
                "Keep-Alive: timeout=5",
                "TE: trailers",
                "Trailer: Expires",
                "Proxy-Authorization: Basic Zm9vOmJhcg==",
                "Forwarded: for=198.51.100.1;host=evil.example"));

        assertThat(response).startsWith("HTTP/1.1 200");
        StubUpstream.Recorded received = identity.onlyRequest();
        assertThat(received.headers().keySet()).map(String::toLowerCase)
                .doesNotContain("x-hop-secret", "keep-alive", "te", "trailer", "proxy-authorization", "forwarded",
                        "upgrade", "transfer-encoding");
        assertThat(received.header("Connection")).isNotEqualToIgnoringCase("close, X-Hop-Secret");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("gatehouse.example");
        assertThat(received.header("Host")).isEqualTo(identity.uri().getAuthority());
    }

    @Test
    void theClientsRequestIdReachesTheUpstreamAndIsEchoed() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(publicUri().resolve("/api/v1/organizations"))
                .header("X-Request-Id", "client-req-0001").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tenant.onlyRequest().header("X-Request-Id")).isEqualTo("client-req-0001");
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly("client-req-0001");
    }

    @Test
    void aMissingOrMalformedRequestIdIsReplacedByTheSameIdOnBothSides() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(publicUri().resolve("/api/v1/organizations"))
                .header("X-Request-Id", "bad id!").GET().build());

        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).isNotEqualTo("bad id!").matches("[0-9a-f]{24}");
        assertThat(tenant.onlyRequest().header("X-Request-Id")).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource({"404", "409", "422", "500", "503"})
    void upstreamErrorsPassThroughUnchanged(int status) {
        String body = "{\"type\":\"urn:gatehouse:problem:conflict\",\"title\":\"Conflict\",\"status\":" + status
                + ",\"detail\":\"slug 'acme' is taken\",\"instance\":\"/api/v1/organizations\"}";
        tenant.answer(new StubUpstream.Canned(status, Map.of("Content-Type", "application/problem+json",
                "X-Upstream", "tenant"), body.getBytes(StandardCharsets.UTF_8), Duration.ZERO, false));

        HttpResponse<String> response = send(HttpRequest.newBuilder(publicUri().resolve("/api/v1/organizations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"slug\":\"acme\"}"))
                .header("Content-Type", "application/json").build());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("X-Upstream")).hasValue("tenant");
    }

    @Test
    void aLargeChunkedResponseIsStreamedThrough() {
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) 'g');
        session.answer(new StubUpstream.Canned(200, Map.of("Content-Type", "application/octet-stream"), big,
                Duration.ZERO, true));

        HttpResponse<String> response = fetch(publicUri(), "/.well-known/jwks.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(big.length);
        assertThat(response.body().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(big);
    }

    @Test
    void aBodyAboveTheLimitIs413AndNeverForwarded() {
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];
        Arrays.fill(twoMegabytes, (byte) 'x');

        HttpResponse<String> response = send(HttpRequest.newBuilder(publicUri().resolve("/api/v1/users"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(twoMegabytes))
                .header("Content-Type", "application/octet-stream").build());

        assertProblem(json, response, 413, "payload-too-large");
        assertNoUpstreamCalled();
    }

    @Test
    void healthIsServedOnTheManagementPortOnly() {
        assertThat(fetch(managementUri(), "/health/readiness").statusCode()).isEqualTo(200);
        assertThat(fetch(managementUri(), "/health").statusCode()).isEqualTo(200);

        assertProblem(json, fetch(publicUri(), "/health/readiness"), 404, "not-found");
        assertProblem(json, fetch(publicUri(), "/health"), 404, "not-found");
        assertNoUpstreamCalled();
    }

    @Test
    void prometheusIsServedOnTheManagementPortOnly() {
        HttpResponse<String> metrics = fetch(managementUri(), "/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");

        assertProblem(json, fetch(publicUri(), "/prometheus"), 404, "not-found");
    }

    @Test
    void theOpenApiDocumentIsServedOnTheManagementPortOnly() {
        assertThat(getClass().getClassLoader().getResource("META-INF/swagger/openapi.yml")).isNotNull();
        HttpResponse<String> document = fetch(managementUri(), "/openapi.yml");
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("Gatehouse gateway-edge");

        assertProblem(json, fetch(publicUri(), "/openapi.yml"), 404, "not-found");
    }

    @Test
    void theManagementPortDoesNotProxy() {
        assertProblem(json, fetch(managementUri(), "/api/v1/users"), 404, "not-found");

        assertNoUpstreamCalled();
    }
}
