package dev.gatehouse.gateway.proxy;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.gatehouse.gateway.proxy.GatewayClient.assertProblem;
import static dev.gatehouse.gateway.proxy.GatewayClient.fetch;
import static dev.gatehouse.gateway.proxy.GatewayClient.send;
import static org.assertj.core.api.Assertions.assertThat;

/** tenant points at a closed port, session answers slower than the gateway's read timeout. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamFailureTest implements TestPropertyProvider {
    private StubUpstream identity;
    private StubUpstream slowSession;

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        if (identity == null) {
            identity = StubUpstream.start("identity");
            slowSession = StubUpstream.start("session");
            slowSession.answer(new StubUpstream.Canned(200, Map.of(), "late".getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(4), false));
        }
        return Map.of(
                "gatehouse.gateway.upstreams.identity", identity.uri().toString(),
                "gatehouse.gateway.upstreams.session", slowSession.uri().toString(),
                "gatehouse.gateway.upstreams.tenant", "http://127.0.0.1:" + GatewayClient.freePort(),
                "gatehouse.gateway.read-timeout", "1s",
                "gatehouse.gateway.connect-timeout", "1s",
                "endpoints.all.port", String.valueOf(GatewayClient.freePort()));
    }

    @AfterAll
    void stopStubs() {
        identity.close();
        slowSession.close();
    }

    private URI publicUri() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    @Test
    void anUnreachableUpstreamIs502() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(publicUri().resolve("/api/v1/organizations"))
                .header("X-Request-Id", "down-test-0001").GET().build());

        Map<String, Object> problem = assertProblem(json, response, 502, "upstream-unavailable");
        assertThat(problem).containsEntry("requestId", "down-test-0001");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("down-test-0001");
    }

    @Test
    void anUpstreamSlowerThanTheReadTimeoutIs504() {
        long started = System.nanoTime();

        HttpResponse<String> response = fetch(publicUri(), "/oauth2/token");

        assertProblem(json, response, 504, "upstream-timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(slowSession.requests()).hasSize(1);
    }

    @Test
    void aHealthyUpstreamIsUnaffected() {
        assertThat(fetch(publicUri(), "/api/v1/users").statusCode()).isEqualTo(200);
    }
}
