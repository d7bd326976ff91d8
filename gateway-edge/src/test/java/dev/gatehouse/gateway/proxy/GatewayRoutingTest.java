package dev.gatehouse.gateway.proxy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.gateway.support.TestIssuer;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.gatehouse.gateway.proxy.GatewayClient.assertProblem;
import static dev.gatehouse.gateway.proxy.GatewayClient.fetch;
import static dev.gatehouse.gateway.proxy.GatewayClient.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Load balancing, retries, per-route timeouts and the internal JWT, against real HTTP upstreams. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRoutingTest implements TestPropertyProvider {
    private StubUpstream a;
    private StubUpstream b;
    private StubUpstream slow;
    private TestIssuer issuer;
    private int deadPort;
    private int managementPort;

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        if (a == null) {
            a = StubUpstream.start("a");
            b = StubUpstream.start("b");
            slow = StubUpstream.start("slow");
            issuer = new TestIssuer("https://auth.routing.test");
            deadPort = GatewayClient.freePort();
            managementPort = GatewayClient.freePort();
        }
        var p = new HashMap<String, String>();
        p.put("gatehouse.gateway.upstreams.identity", a.uri().toString());
        p.put("gatehouse.gateway.upstreams.session", a.uri().toString());
        p.put("gatehouse.gateway.upstreams.tenant", a.uri().toString());
        p.put("gatehouse.gateway.upstreams.pair", a.uri() + "," + b.uri());
        p.put("endpoints.all.port", String.valueOf(managementPort));
        p.put("gatehouse.gateway.auth.issuer", issuer.issuer());
        p.put("gatehouse.gateway.auth.jwks-uri", issuer.jwksUri().toString());
        p.put("gatehouse.gateway.internal-token.enabled", "true");
        p.put("gatehouse.gateway.routes[16].prefix", "/pair/");
        p.put("gatehouse.gateway.routes[16].upstream", "pair");
        p.put("gatehouse.gateway.routes[17].prefix", "/flaky/");
        p.put("gatehouse.gateway.routes[17].urls", "http://127.0.0.1:" + deadPort + "," + b.uri());
        p.put("gatehouse.gateway.routes[17].retries", "1");
        p.put("gatehouse.gateway.routes[18].prefix", "/slow/");
        p.put("gatehouse.gateway.routes[18].urls", slow.uri().toString());
        p.put("gatehouse.gateway.routes[18].timeout", "300ms");
        p.put("gatehouse.gateway.routes[19].prefix", "/secure/");
        p.put("gatehouse.gateway.routes[19].upstream", "pair");
        p.put("gatehouse.gateway.routes[19].access", "authenticated");
        return p;
    }

    @BeforeEach
    void reset() {
        List.of(a, b, slow).forEach(StubUpstream::reset);
    }

    @AfterAll
    void stop() {
        List.of(a, b, slow).forEach(StubUpstream::close);
        issuer.close();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    @Test
    void requestsAreSpreadRoundRobinOverTheUpstreamsInstances() {
        for (int i = 0; i < 6; i++) {
            assertThat(fetch(base(), "/pair/" + i).statusCode()).isEqualTo(200);
        }

        assertThat(a.requests()).hasSize(3);
        assertThat(b.requests()).hasSize(3);
    }

    @Test
    void anIdempotentRequestIsRetriedOnTheNextInstanceWhenTheFirstRefusesTheConnection() {
        for (int i = 0; i < 4; i++) {
            assertThat(fetch(base(), "/flaky/x").statusCode()).isEqualTo(200);
        }

        assertThat(b.requests()).hasSize(4);
    }

    @Test
    void aPostIsNeverRetried() {
        int failures = 0;
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(base().resolve("/flaky/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                    .build());
            if (response.statusCode() == 502) {
                failures++;
            }
        }

        assertThat(failures).isEqualTo(2);
        assertThat(b.requests()).hasSize(2);
    }

    @Test
    void aSlowUpstreamGets504AfterTheRoutesTimeout() {
        slow.answer(new StubUpstream.Canned(200, Map.of(), new byte[0], Duration.ofSeconds(3), false));
        long started = System.nanoTime();

        HttpResponse<String> response = fetch(base(), "/slow/x");

        assertProblem(json, response, 504, "upstream-timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theInternalTokenIsSignedWithTheKeyPublishedOnTheManagementPort() throws Exception {
        String token = issuer.sign(issuer.claims("gatehouse", "user_7", "org_7", "ses_7", List.of("a.read")));
        HttpResponse<String> response = send(HttpRequest.newBuilder(base().resolve("/secure/x"))
                .header("Authorization", "Bearer " + token).header("X-Gatehouse-Token", "forged").build());
        assertThat(response.statusCode()).isEqualTo(200);
        StubUpstream.Recorded seen = a.requests().isEmpty() ? b.onlyRequest() : a.onlyRequest();

        String internal = seen.header("X-Gatehouse-Token");
        assertThat(internal).isNotEqualTo("forged");
        HttpResponse<String> jwks = fetch(URI.create("http://127.0.0.1:" + managementPort), "/internal-jwks.json");
        assertThat(jwks.statusCode()).isEqualTo(200);
        ECKey key = JWKSet.parse(jwks.body()).getKeys().getFirst().toECKey();
        assertThat(key.isPrivate()).isFalse();
        SignedJWT jwt = SignedJWT.parse(internal);
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("user_7");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("pair");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("org_id")).isEqualTo("org_7");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                .isBefore(java.time.Instant.now().plusSeconds(61));
        assertThat(fetch(base(), "/internal-jwks.json").statusCode()).isEqualTo(404);
    }
}
