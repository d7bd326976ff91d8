package dev.gatehouse.gateway.auth;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.session.SessionRevoked;
import dev.gatehouse.contract.event.tenant.ApiKeyCreated;
import dev.gatehouse.contract.event.tenant.ApiKeyRevoked;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.token.SessionCookie;
import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.gateway.revocation.RevocationFeed;
import dev.gatehouse.gateway.support.EchoProcess;
import dev.gatehouse.gateway.support.InternalApis;
import dev.gatehouse.gateway.support.TestIssuer;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every credential type through the real gateway, to an upstream echo server running as its own process, with the
 * event feed on a real Kafka broker, JWKS served over HTTP by two issuers, and a real HTTP server answering the
 * internal APIs (token, cookie refresh, tenant provisioning).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAuthTest implements TestPropertyProvider {
    private static final String AUDIENCE = "gatehouse";
    private static final String CLIENT_SECRET = "gateway-test-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private EchoProcess echo;
    private TestIssuer gatehouse;
    private TestIssuer workos;
    private InternalApis internal;
    private byte[] cookieKey;
    private String kafka;

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    RevocationFeed feed;
    @Inject
    SessionRefresher refresher;

    @Override
    public Map<String, String> getProperties() {
        if (echo == null) {
            echo = EchoProcess.start();
            gatehouse = new TestIssuer("https://auth.gatehouse.test");
            workos = new TestIssuer("https://api.workos.test/user_management/client_123");
            cookieKey = new byte[32];
            new SecureRandom().nextBytes(cookieKey);
            internal = new InternalApis(cookieKey, CLIENT_SECRET,
                    sid -> gatehouse.sign(gatehouse.claims(AUDIENCE, "user_1", "org_a", sid, viewer())));
            kafka = TestServers.get().kafkaBootstrap();
            createTopics();
        }
        var p = new HashMap<String, String>();
        p.put("gatehouse.gateway.upstreams.identity", echo.uri().toString());
        p.put("gatehouse.gateway.upstreams.session", internal.uri().toString());
        p.put("gatehouse.gateway.upstreams.tenant", internal.uri().toString());
        p.put("gatehouse.gateway.upstreams.echo", echo.uri().toString());
        p.put("gatehouse.gateway.auth.issuer", gatehouse.issuer());
        p.put("gatehouse.gateway.auth.jwks-uri", gatehouse.jwksUri().toString());
        p.put("gatehouse.gateway.auth.audiences", AUDIENCE);
        p.put("gatehouse.gateway.auth.cookie-key", Base64.getEncoder().encodeToString(cookieKey));
        p.put("gatehouse.gateway.auth.client-secret", CLIENT_SECRET);
        p.put("gatehouse.gateway.auth.trusted-issuers.workos.issuer", workos.issuer());
        p.put("gatehouse.gateway.auth.trusted-issuers.workos.jwks-uri", workos.jwksUri().toString());
        p.put("gatehouse.gateway.auth.trusted-issuers.workos.audience", "client_123");
        p.put("gatehouse.gateway.events.bootstrap-servers", kafka);
        route(p, 16, Map.of("pattern", "/api/v1/orgs/{org}/**", "upstream", "echo", "access", "authenticated",
                "organization", "org", "role", "viewer"));
        route(p, 17, Map.of("prefix", "/admin/", "upstream", "echo", "access", "authenticated", "admin", "true"));
        route(p, 18, Map.of("prefix", "/app/", "upstream", "echo", "access", "authenticated"));
        route(p, 19, Map.of("prefix", "/seed/", "upstream", "echo", "access", "authenticated",
                "errors", "success-false"));
        route(p, 20, Map.of("prefix", "/web/", "upstream", "echo", "access", "authenticated",
                "errors", "redirect", "login-url", "/login"));
        route(p, 21, Map.of("prefix", "/perm/", "upstream", "echo", "access", "authenticated",
                "permissions", "proxies.write"));
        route(p, 22, Map.of("prefix", "/open/", "upstream", "echo"));
        route(p, 23, Map.of("prefix", "/operate/", "upstream", "echo", "access", "authenticated",
                "role", "operator"));
        return p;
    }

    private static void route(Map<String, String> props, int index, Map<String, String> fields) {
        fields.forEach((k, v) -> props.put("gatehouse.gateway.routes[" + index + "]." + k, v));
    }

    @AfterAll
    void stop() {
        echo.close();
        gatehouse.close();
        workos.close();
        internal.close();
    }

    private static List<String> viewer() {
        return List.of("organization.read", "proxies.read");
    }

    private String token(String org, String sid, List<String> permissions) {
        return gatehouse.sign(gatehouse.claims(AUDIENCE, "user_1", org, sid, permissions));
    }

    private HttpResponse<String> get(String path, String... headers) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> bearer(String path, String token) {
        return get(path, "Authorization", "Bearer " + token);
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> upstreamHeaders(HttpResponse<String> response) {
        try {
            Map<String, Object> body = json.readValue(response.body(), Map.class);
            return (Map<String, String>) body.get("headers");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    private static void assertInvalidToken(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
    }

    // ---- bearer ----

    @Test
    void aValidBearerTokenReachesTheUpstreamWithTheGatewaysIdentityHeadersOnly() {
        HttpResponse<String> response = get("/app/things", "Authorization", "Bearer " + token("org_a", "ses_1",
                viewer()), "X-Gatehouse-User", "admin_forged", "X-Gatehouse-Org", "org_evil",
                "X-Gatehouse-Platform-Admin", "true", "x-gatehouse-anything", "1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, String> headers = upstreamHeaders(response);
        assertThat(headers).containsEntry("x-gatehouse-user", "user_1").containsEntry("x-gatehouse-org", "org_a")
                .containsEntry("x-gatehouse-session", "ses_1")
                .containsEntry("x-gatehouse-permissions", "organization.read proxies.read")
                .containsEntry("x-gatehouse-principal-type", "user")
                .doesNotContainKeys("x-gatehouse-platform-admin", "x-gatehouse-anything");
    }

    @Test
    void clientSentGatehouseHeadersNeverReachAPublicRouteEither() {
        HttpResponse<String> response = get("/open/x", "X-Gatehouse-User", "admin_forged", "X-Gatehouse-Token", "x",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstreamHeaders(response).keySet()).noneMatch(name -> name.startsWith("x-gatehouse-"));
        assertThat(upstreamHeaders(response)).containsEntry("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void noCredentialOnAnAuthenticatedRouteIs401WithABareBearerChallenge() {
        HttpResponse<String> response = get("/app/things");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.body()).contains("\"status\":401");
    }

    @Test
    void anExpiredTokenIsRejectedAsInvalid() {
        var claims = gatehouse.claims(AUDIENCE, "user_1", "org_a", "ses_1", viewer());
        claims.put("exp", Instant.now().getEpochSecond() - 120);
        claims.put("iat", Instant.now().getEpochSecond() - 600);

        assertInvalidToken(bearer("/app/x", gatehouse.sign(claims)));
    }

    @Test
    void aTokenSignedByAnotherKeyUnderTheIssuersKidIsRejected() {
        var claims = gatehouse.claims(AUDIENCE, "user_1", "org_a", "ses_1", viewer());

        assertInvalidToken(bearer("/app/x", gatehouse.sign(TestIssuer.otherKey(), claims)));
    }

    @Test
    void anUnsignedAlgNoneTokenIsRejected() {
        assertInvalidToken(bearer("/app/x", gatehouse.unsigned(gatehouse.claims(AUDIENCE, "user_1", "org_a",
                "ses_1", viewer()))));
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() {
        assertInvalidToken(bearer("/app/x", gatehouse.sign(gatehouse.claims("https://other.example/api", "user_1",
                "org_a", "ses_1", viewer()))));
    }

    @Test
    void aTokenOfAnUntrustedIssuerIsRejected() {
        try (var stranger = new TestIssuer("https://evil.example")) {
            assertInvalidToken(bearer("/app/x", stranger.sign(stranger.claims(AUDIENCE, "user_1", "org_a", "ses_1",
                    viewer()))));
        }
    }

    @Test
    void aTrustedExternalIssuersTokenIsAcceptedAndItsUnknownOrganizationProvisionedOnce() throws Exception {
        String externalOrg = "org_ext" + UUID.randomUUID().toString().substring(0, 8);
        String token = workos.sign(workos.claims("client_123", "user_w", externalOrg, null, List.of()));
        int before = internal.provisionCalls.get();

        List<HttpResponse<String>> responses = parallel(8, () -> bearer("/app/x", token));
        HttpResponse<String> later = bearer("/app/x", token);

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(upstreamHeaders(later)).containsEntry("x-gatehouse-org", "org_prov_" + externalOrg)
                .containsEntry("x-gatehouse-user", "user_w");
        assertThat(internal.provisionCalls.get() - before).isEqualTo(1);
    }

    // ---- authorization ----

    @Test
    void anOrganizationInThePathMustBeThePrincipals() {
        String token = token("org_a", "ses_1", viewer());

        assertThat(bearer("/api/v1/orgs/org_a/proxies", token).statusCode()).isEqualTo(200);
        HttpResponse<String> other = bearer("/api/v1/orgs/org_b/proxies", token);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(other.body()).contains("\"status\":403");
    }

    @Test
    void aPlatformAdminPassesOrganizationScoping() {
        var claims = gatehouse.claims(AUDIENCE, "admin_1", "org_a", "ses_2", viewer());
        claims.put("platform_admin", true);

        assertThat(bearer("/api/v1/orgs/org_b/proxies", gatehouse.sign(claims)).statusCode()).isEqualTo(200);
    }

    @Test
    void rolesAreOrderedViewerOperatorAdmin() {
        assertThat(bearer("/operate/x", token("org_a", "ses_1", viewer())).statusCode()).isEqualTo(403);
        assertThat(bearer("/operate/x", token("org_a", "ses_1", List.of("proxies.operate"))).statusCode())
                .isEqualTo(200);
        assertThat(bearer("/operate/x", token("org_a", "ses_1", List.of("organization.write"))).statusCode())
                .isEqualTo(200);
        assertThat(bearer("/api/v1/orgs/org_a/x", token("org_a", "ses_1", List.of())).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aMissingPermissionIs403() {
        assertThat(bearer("/perm/x", token("org_a", "ses_1", viewer())).statusCode()).isEqualTo(403);
        assertThat(bearer("/perm/x", token("org_a", "ses_1", List.of("proxies.write"))).statusCode()).isEqualTo(200);
    }

    // ---- error renderers ----

    @Test
    void seedRoutesAnswerSuccessFalse() throws Exception {
        HttpResponse<String> response = get("/seed/x");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        Map<?, ?> body = json.readValue(response.body(), Map.class);
        assertThat(body.get("success")).isEqualTo(false);
        assertThat((String) body.get("error")).startsWith("Unauthorized");
    }

    @Test
    void browserRoutesRedirectPageLoadsToSignInButNotApiCalls() {
        HttpResponse<String> page = get("/web/dashboard?tab=1", "Accept", "text/html,application/xhtml+xml");
        HttpResponse<String> api = get("/web/dashboard", "Accept", "application/json");

        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/login?return_to=%2Fweb%2Fdashboard%3Ftab%3D1");
        assertThat(api.statusCode()).isEqualTo(401);
    }

    // ---- API keys and revocation ----

    @Test
    void anApiKeyFromTheTopicWorksIsRefusedOnAdminRoutesAndIsRejectedWithinFiveSecondsOfRevocation()
            throws Exception {
        String key = "gh_live_" + UUID.randomUUID().toString().replace("-", "");
        String keyId = "key_" + UUID.randomUUID().toString().substring(0, 8);
        String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        publish(Topics.TENANT_API_KEY.name(), keyId, Events.API_KEY_CREATED.name(), "org_a",
                new ApiKeyCreated(keyId, new OrgId("org_a"), "grp_1", key.substring(0, 20), hash,
                        List.of("proxies.read", "organization.read"), null, null));

        HttpResponse<String> ok = awaitStatus(() -> get("/app/x", "X-API-Key", key), 200, Duration.ofSeconds(15));
        assertThat(upstreamHeaders(ok)).containsEntry("x-gatehouse-user", keyId)
                .containsEntry("x-gatehouse-principal-type", "api_key").containsEntry("x-gatehouse-org", "org_a")
                .containsEntry("x-gatehouse-groups", "grp_1");
        assertThat(get("/admin/users", "X-API-Key", key).statusCode()).isEqualTo(403);
        assertThat(get("/app/x", "X-API-Key", key + "x").statusCode()).isEqualTo(401);

        publish(Topics.TENANT_API_KEY.name(), keyId, Events.API_KEY_REVOKED.name(), "org_a",
                new ApiKeyRevoked(keyId, new OrgId("org_a"), Instant.now()));
        long revoked = System.nanoTime();
        HttpResponse<String> rejected = awaitStatus(() -> get("/app/x", "X-API-Key", key), 401,
                Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(5));
        assertInvalidToken(rejected);
    }

    @Test
    void aRevokedSessionsUnexpiredTokenIsRejectedWithinFiveSeconds() {
        String sid = "ses_" + UUID.randomUUID().toString().substring(0, 8);
        String token = token("org_a", sid, viewer());
        assertThat(bearer("/app/x", token).statusCode()).isEqualTo(200);

        publish(Topics.SESSION_SESSION.name(), sid, Events.SESSION_REVOKED.name(), "org_a",
                new SessionRevoked(sid, "user_1", "org_a", "revoked", Instant.now(),
                        Instant.now().plusSeconds(600)));
        long revoked = System.nanoTime();

        assertInvalidToken(awaitStatus(() -> bearer("/app/x", token), 401, Duration.ofSeconds(5)));
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(5));
    }

    // ---- session cookie ----

    @Test
    void aSealedSessionCookieWithALiveTokenAuthenticatesWithoutRefresh() {
        int before = internal.refreshCalls.get();
        String sealed = internal.sealer().seal(new SessionCookie("ses_c1", "handle-1", token("org_a", "ses_c1",
                viewer())));

        HttpResponse<String> response = get("/app/x", "Cookie", "wos_session=" + sealed);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(upstreamHeaders(response)).containsEntry("x-gatehouse-session", "ses_c1");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(internal.refreshCalls.get()).isEqualTo(before);
    }

    @Test
    void twentyParallelRequestsWithAnExpiredCookieTokenCauseExactlyOneRefresh() throws Exception {
        var claims = gatehouse.claims(AUDIENCE, "user_1", "org_a", "ses_c2", viewer());
        claims.put("exp", Instant.now().getEpochSecond() - 120);
        claims.put("iat", Instant.now().getEpochSecond() - 600);
        String sealed = internal.sealer().seal(new SessionCookie("ses_c2", "handle-2", gatehouse.sign(claims)));
        int before = internal.refreshCalls.get();

        List<HttpResponse<String>> responses = parallel(20, () -> get("/app/x", "Cookie", "access_token=" + sealed));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(internal.refreshCalls.get() - before).isEqualTo(1);
        String setCookie = responses.getFirst().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("access_token=").containsIgnoringCase("HttpOnly").contains("Secure")
                .containsIgnoringCase("SameSite=Lax").contains("Max-Age=").contains("Path=/");
        String fresh = setCookie.substring("access_token=".length(), setCookie.indexOf(';'));
        assertThat(internal.sealer().open(fresh)).hasValueSatisfying(c -> {
            assertThat(c.sessionId()).isEqualTo("ses_c2");
            assertThat(c.handle()).isEqualTo("handle-2");
        });
        // the refreshed cookie works on its own, without another refresh
        assertThat(get("/app/x", "Cookie", "access_token=" + fresh).statusCode()).isEqualTo(200);
        assertThat(internal.refreshCalls.get() - before).isEqualTo(1);
    }

    @Test
    void anEndedSessionsCookieIs401AndCleared() {
        var claims = gatehouse.claims(AUDIENCE, "user_1", "org_a", "ses_c3", viewer());
        claims.put("exp", Instant.now().getEpochSecond() - 120);
        claims.put("iat", Instant.now().getEpochSecond() - 600);
        internal.endedSessions.add("ses_c3");
        String sealed = internal.sealer().seal(new SessionCookie("ses_c3", "handle-3", gatehouse.sign(claims)));

        HttpResponse<String> response = get("/app/x", "Cookie", "session_id=" + sealed);

        assertInvalidToken(response);
        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                c -> assertThat(c).startsWith("session_id=;").contains("Max-Age=0"));
    }

    @Test
    void aForgedCookieIs401() {
        assertInvalidToken(get("/app/x", "Cookie", "access_token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z"));
    }

    // ---- helpers ----

    private interface Call {
        HttpResponse<String> run();
    }

    private static HttpResponse<String> awaitStatus(Call call, int status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last;
        do {
            last = call.run();
            if (last.statusCode() == status) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + status + " within " + within + ", last " + last.statusCode() + " "
                + last.body());
    }

    private static List<HttpResponse<String>> parallel(int n, Call call) throws InterruptedException,
            ExecutionException {
        try (var pool = Executors.newFixedThreadPool(n)) {
            var futures = new ArrayList<Future<HttpResponse<String>>>();
            var start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.run();
                }));
            }
            start.countDown();
            var results = new ArrayList<HttpResponse<String>>();
            for (Future<HttpResponse<String>> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    private void createTopics() {
        var props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(props)) {
            for (var topic : List.of(Topics.TENANT_API_KEY, Topics.SESSION_SESSION)) {
                var newTopic = new NewTopic(topic.name(), topic.partitions(), (short) 1);
                if (topic.compacted()) {
                    newTopic.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(newTopic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private <T> void publish(String topic, String key, String type, String tenant, T payload) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            byte[] value = json.writeValueAsBytes(new EventEnvelope<>(UUID.randomUUID(), type, 1, Instant.now(),
                    tenant, payload));
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
