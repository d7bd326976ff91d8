package dev.gatehouse.tenant;

import dev.gatehouse.devstack.TestServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Outside dev and test, health answers with a status only: no database URLs or versions for whoever asks. */
class HealthDetailsTest {

    @Test
    void productionHealthShowsNoDetails() throws Exception {
        var properties = new HashMap<String, Object>(TestServers.get().micronautProperties("tenant-service"));
        properties.put("micronaut.server.port", -1);
        properties.putAll(dev.gatehouse.tenant.support.TestIssuer.get().properties());
        // production refuses the published dev key: a random one
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        properties.put("gatehouse.tenant.invitations.signing-key", java.util.Base64.getEncoder().encodeToString(key));
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                .environments("production").properties(properties).start()) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            var readiness = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.getURI().resolve("/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"status\":\"UP\"")
                    .doesNotContain("jdbc", "postgresql", "details", "kafka");
        }
    }
}
