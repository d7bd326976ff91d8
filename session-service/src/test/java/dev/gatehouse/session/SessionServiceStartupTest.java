package dev.gatehouse.session;

import dev.gatehouse.devstack.RealServers;
import dev.gatehouse.kit.inbox.EventConsumers;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** session-service starts against real servers, reports each of them in readiness, and replicates organizations. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionServiceStartupTest implements RealServers {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;
    @Inject
    EventConsumers consumers;

    @Override
    public String serviceName() {
        return "session-service";
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.getURI().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessCoversPostgresRedisAndKafka() throws Exception {
        var readiness = get("/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"jdbc\"", "\"redis\"", "\"kafka\"").doesNotContain("DOWN");
        assertThat(get("/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void theOrganizationReplicaConsumerRuns() {
        assertThat(consumers.running()).containsExactlyInAnyOrder("organization-replica", "membership-revocations");
    }

    @Test
    void servesItsOpenApiDocumentAndMetrics() throws Exception {
        var openapi = get("/openapi.yml");
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).startsWith("openapi: 3").contains("Gatehouse session-service");
        assertThat(get("/prometheus").body()).contains("gatehouse_outbox_backlog", "jvm_memory_used_bytes");
    }

    @Test
    void unknownReplicaRowsAre404ProblemJson() throws Exception {
        var response = get("/internal/v1/organizations/org_unknown");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}
