package dev.gatehouse.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.devstack.Cluster;
import dev.gatehouse.devstack.DevSecrets;
import dev.gatehouse.devstack.KafkaBroker;
import dev.gatehouse.devstack.Repo;
import dev.gatehouse.devstack.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton through all four services as real processes: an organization created through gateway-edge is
 * persisted by tenant-service, published through its outbox and applied exactly once by identity- and
 * session-service, also across a Kafka outage and a redelivered event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CONSUMERS = List.of("identity-service", "session-service");

    private Path work;
    private KafkaBroker kafka;
    private Cluster cluster;
    private Cluster.Backends backends;
    private final Set<String> created = new LinkedHashSet<>();
    private final String adminClientSecret = "e2e-admin-" + UUID.randomUUID();
    private final String identityClientSecret = "e2e-identity-" + UUID.randomUUID();
    private String adminToken;

    @BeforeAll
    void startCluster() throws Exception {
        work = Files.createTempDirectory("gatehouse-e2e");
        TestServers servers = TestServers.get();
        // A broker of its own, so that this test can stop and restart it.
        kafka = servers.newKafkaBroker(work.resolve("kafka"));
        backends = new Cluster.Backends(servers.postgres(), servers.redisUri(), kafka.bootstrapServers(),
                "_e2e_" + UUID.randomUUID().toString().substring(0, 8));
        backends.createDatabases();
        // the dev bootstrap file: its platform-admin automation client drives the OAuth checks below
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("GATEHOUSE_BOOTSTRAP_FILE", Repo.root().resolve("devstack/bootstrap-dev.yml").toString());
        env.put(DevSecrets.ADMIN_CLIENT_SECRET, adminClientSecret);
        env.put(DevSecrets.IDENTITY_CLIENT_SECRET, identityClientSecret);
        env.put(DevSecrets.GATEWAY_CLIENT_SECRET, "e2e-gateway-" + UUID.randomUUID());
        var services = Cluster.services(Cluster.Ports.free(), Cluster.jars(Repo.root()), backends, env,
                Map.of("GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME", "admin",
                        "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", "e2e-" + UUID.randomUUID()),
                work.resolve("logs"));
        cluster = Cluster.start(services, List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1"),
                Duration.ofSeconds(150));
        adminToken = clientCredentialsToken();
    }

    /** The dev bootstrap file's platform-admin automation client's token, through the gateway. */
    private String clientCredentialsToken() throws Exception {
        return clientCredentialsToken("gatehouse-admin-cli", adminClientSecret);
    }

    private String clientCredentialsToken(String clientId, String secret) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((clientId + ":" + secret)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var token = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(token.headers().firstValue("Cache-Control")).hasValue("no-store");
        return JSON.readTree(token.body()).path("access_token").asText();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (backends != null) {
            Cluster.DATABASES.forEach(db -> backends.postgres().dropDatabaseIfExists(db + backends.databaseSuffix()));
        }
    }

    @Test
    @Order(1)
    void everyServiceIsReadyAndServesItsOpenApiDocument() throws Exception {
        for (String name : Cluster.MODULES) {
            var service = cluster.service(name);
            assertThat(get(service.readinessUrl()).statusCode()).as(name).isEqualTo(200);
            var openapi = get(service.managementUrl() + "/openapi.yml");
            assertThat(openapi.statusCode()).as(name).isEqualTo(200);
            assertThat(openapi.body()).as(name).startsWith("openapi: 3");
        }
        assertThat(get(gateway() + "/health/readiness").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void anOrganizationCreatedThroughTheGatewayReachesBothReplicas() throws Exception {
        String requestId = "e2e-" + suffix() + suffix();
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/api/v1/organizations"))
                .header("Content-Type", "application/json").header("X-Request-Id", requestId)
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"slug\":\"acme-" + suffix() + "\",\"displayName\":\"Acme\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
        String id = JSON.readTree(response.body()).get("id").asText();
        created.add(id);
        // One request id in the JSON logs of both hops.
        for (String hop : List.of("gateway-edge", "tenant-service")) {
            eventually(Duration.ofSeconds(5), () -> logLines(hop).stream().anyMatch(line -> requestId.equals(
                    line.path("requestId").asText())));
        }
        assertThat(logLines("tenant-service")).anySatisfy(line -> {
            assertThat(line.path("requestId").asText()).isEqualTo(requestId);
            assertThat(line.path("message").asText()).isEqualTo("created organization " + id + " (" +
                    JSON.readTree(response.body()).get("slug").asText() + ")");
            assertThat(line.path("service").asText()).isEqualTo("tenant-service");
        });
        var read = get(gateway() + "/api/v1/organizations/" + id, adminToken);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("id").asText()).isEqualTo(id);

        eventually(Duration.ofSeconds(30), () -> CONSUMERS.stream().allMatch(c -> replicated(c, id)));
        assertAppliedOnceEach();
    }

    @Test
    @Order(3)
    void noOrganizationCreatedIsLostWhileKafkaIsDown() throws Exception {
        kafka.stop();
        List<String> duringOutage = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            duringOutage.add(createOrganization("outage-" + i + "-" + suffix()));
        }
        // Committed in tenant-service and waiting in its outbox; the relay fails and backs off until Kafka returns.
        assertThat(unpublished()).isGreaterThanOrEqualTo(duringOutage.size());
        eventually(Duration.ofSeconds(60), () -> metricOrZero("tenant-service", "gatehouse_outbox_failures_total") > 0);
        assertThat(CONSUMERS.stream().noneMatch(c -> replicated(c, duringOutage.getLast()))).isTrue();
        assertThat(unpublished()).isGreaterThanOrEqualTo(duringOutage.size());

        kafka.restart();
        eventually(Duration.ofSeconds(90), () -> duringOutage.stream()
                .allMatch(id -> CONSUMERS.stream().allMatch(c -> replicated(c, id))));
        assertAppliedOnceEach();
        eventually(Duration.ofSeconds(10), () -> unpublished() == 0);
    }

    @Test
    @Order(4)
    void aRedeliveredEventIsSkippedByBothConsumers() throws Exception {
        String id = createOrganization("replay-" + suffix());
        eventually(Duration.ofSeconds(30), () -> CONSUMERS.stream().allMatch(c -> replicated(c, id)));
        String envelope = publishedEnvelope(id);
        Map<String, Double> duplicatesBefore = new java.util.HashMap<>();
        for (String consumer : CONSUMERS) {
            duplicatesBefore.put(consumer, consumed(consumer, "duplicate"));
        }

        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TENANT_ORGANIZATION.name(), id, envelope)).get();
        }

        eventually(Duration.ofSeconds(30), () -> CONSUMERS.stream()
                .allMatch(c -> consumed(c, "duplicate") > duplicatesBefore.get(c)));
        assertAppliedOnceEach();
    }

    @Test
    @Order(5)
    void badInputThroughTheGatewayIsProblemJsonNeverA500() throws Exception {
        var cases = Map.of(
                "{\"slug\":", 400,
                "{\"slug\":\"ok\",\"displayName\":\"" + "x".repeat(201) + "\"}", 400,
                "{\"slug\":\"x\",\"displayName\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}", 413,
                "[1,2,3]", 400);
        for (var entry : cases.entrySet()) {
            var response = post(gateway() + "/api/v1/organizations", entry.getKey());
            assertThat(response.statusCode()).isEqualTo(entry.getValue());
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("type").asText()).startsWith("urn:gatehouse:problem:");
        }
    }

    // ---- helpers

    @Test
    @Order(6)
    void theAuthorizationServerAnswersThroughTheGateway() throws Exception {
        var discovery = get(gateway() + "/.well-known/openid-configuration");
        assertThat(discovery.statusCode()).isEqualTo(200);
        var metadata = JSON.readTree(discovery.body());
        assertThat(metadata.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        var jwks = JSON.readTree(get(gateway() + "/.well-known/jwks.json").body());
        assertThat(jwks.path("keys").size()).isGreaterThanOrEqualTo(1);
        assertThat(JSON.readTree(get(gateway() + "/.well-known/auth-config").body()).path("client_id").asText())
                .isEqualTo("flux-cli");

        // the declared platform-admin client's token (taken through the gateway) opens the client admin API
        String accessToken = clientCredentialsToken();
        var clients = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/api/v1/clients"))
                .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(clients.statusCode()).isEqualTo(200);
        assertThat(clients.body()).contains("\"flux-cli\"", "\"gaia-desktop\"").doesNotContain("secretHash");

        var anonymous = get(gateway() + "/api/v1/clients");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    @Order(7)
    void aMembersTokensCarryTheirPermissionsAndLosingTheMembershipEndsTheSession() throws Exception {
        String org = createOrganization("members-" + suffix());
        String user = "usr_e2e_" + suffix();
        var put = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/api/v1/organizations/" + org + "/members/"
                        + user)).header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"operator\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        var member = JSON.readTree(get(gateway() + "/api/v1/organizations/" + org + "/members/" + user, adminToken)
                .body());
        List<String> expected = new ArrayList<>();
        member.path("effectivePermissions").forEach(p -> expected.add(p.asText()));
        assertThat(expected).contains("audit_tail.read", "proxies.operate").doesNotContain("members.write");

        // identity-service's part, played here: open a session for the signed-in member through the internal API
        String service = clientCredentialsToken("gatehouse-identity", identityClientSecret);
        var opened = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.service("session-service").baseUrl()
                        + "/internal/v1/sessions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + service)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"user": {"userId": "%s", "organizationId": "%s"}, "clientId": "gaia-desktop",
                         "scopes": ["openid", "offline_access"], "delivery": "tokens"}""".formatted(user, org)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        var tokens = JSON.readTree(opened.body());
        String[] parts = tokens.path("accessToken").asText().split("\\.");
        var claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("org_id").asText()).isEqualTo(org);
        List<String> minted = new ArrayList<>();
        claims.path("permissions").forEach(p -> minted.add(p.asText()));
        assertThat(minted).containsExactlyInAnyOrderElementsOf(expected);

        // removing the membership (tenant-service) revokes the session (session-service, via Kafka)
        var removed = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/api/v1/organizations/" + org
                        + "/members/" + user)).header("Authorization", "Bearer " + adminToken).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).as(removed.body()).isIn(200, 204);
        String accessToken = tokens.path("accessToken").asText();
        assertThat(get(gateway() + "/oauth2/userinfo", accessToken).statusCode()).isIn(200, 401);
        eventually(Duration.ofSeconds(30), () -> {
            try {
                return get(gateway() + "/oauth2/userinfo", accessToken).statusCode() == 401;
            } catch (Exception e) {
                return false;
            }
        });
        var refresh = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=gaia-desktop"
                        + "&refresh_token=" + tokens.path("refreshToken").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refresh.body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    private String gateway() {
        return cluster.service("gateway-edge").baseUrl();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private String createOrganization(String slug) throws Exception {
        var response = post(gateway() + "/api/v1/organizations",
                "{\"slug\":\"" + slug + "\",\"displayName\":\"Org " + slug + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = JSON.readTree(response.body()).get("id").asText();
        created.add(id);
        return id;
    }

    private boolean replicated(String consumer, String orgId) {
        try {
            return get(cluster.service(consumer).baseUrl() + "/internal/v1/organizations/" + orgId).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Each consumer applied exactly one event per organization this test created, however often it was delivered. */
    private void assertAppliedOnceEach() throws Exception {
        for (String consumer : CONSUMERS) {
            assertThat(consumed(consumer, "applied")).as(consumer + " applied").isEqualTo(created.size());
            assertThat(metric(consumer, "gatehouse_replica_organizations_applied_total", "")).as(consumer)
                    .isEqualTo(created.size());
        }
    }

    private double consumed(String service, String outcome) {
        try {
            return metric(service, "gatehouse_events_consumed_total",
                    "consumer=\"organization-replica\",outcome=\"" + outcome + "\"");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sums a Prometheus sample over the series whose labels contain every {@code label="value"} in {@code labels}. */
    private double metric(String service, String name, String labels) throws Exception {
        String body = get(cluster.service(service).managementUrl() + "/prometheus").body();
        Matcher sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(body);
        double sum = 0;
        while (sample.find()) {
            String series = sample.group(1) == null ? "" : sample.group(1);
            boolean matches = true;
            for (String label : labels.isEmpty() ? new String[0] : labels.split(",")) {
                matches &= series.contains(label);
            }
            if (matches) {
                sum += Double.parseDouble(sample.group(2));
            }
        }
        return sum;
    }

    /** The JSON lines of a service's log (other lines, such as JVM warnings, are skipped). */
    private List<com.fasterxml.jackson.databind.JsonNode> logLines(String service) {
        try {
            var lines = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
            for (String line : Files.readAllLines(cluster.service(service).logFile())) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private double metricOrZero(String service, String name) {
        try {
            return metric(service, name, "");
        } catch (Exception e) {
            return 0;
        }
    }

    /** Outbox rows tenant-service has committed but not yet published. */
    private long unpublished() {
        try (var connection = backends.postgres().connect("gatehouse_tenant" + backends.databaseSuffix());
             var count = connection.prepareStatement(
                     "select count(*) from gatehouse_kit.outbox where published_at is null");
             var rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String publishedEnvelope(String orgId) throws Exception {
        try (var connection = backends.postgres().connect("gatehouse_tenant" + backends.databaseSuffix());
             var select = connection.prepareStatement(
                     "select envelope from gatehouse_kit.outbox where event_key = ? and published_at is not null")) {
            select.setString(1, orgId);
            var rs = select.executeQuery();
            assertThat(rs.next()).as("published outbox row for " + orgId).isTrue();
            return rs.getString(1);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return get(url, null);
    }

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as the platform-admin client. */
    private HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within " + timeout.toSeconds() + " s").isLessThan(deadline);
            Thread.sleep(250);
        }
    }
}
