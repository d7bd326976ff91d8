package dev.gatehouse.tenant.organization;

import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.tenant.support.Api;
import dev.gatehouse.tenant.support.KafkaEvents;
import dev.gatehouse.tenant.support.TenantServers;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationApiTest implements TenantServers {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    private DataSource dataSource;

    @Inject
    void dataSource(DataSource transactionAware) {
        // The injected DataSource only works inside a transaction; the test reads outside one.
        this.dataSource = DelegatingDataSource.unwrapDataSource(transactionAware);
    }

    private static final String ADMIN = TestIssuer.get().platformAdmin();

    private HttpResponse<String> post(String body, String contentType, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(server.getURI().resolve("/api/v1/organizations"))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post(body, "application/json", Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> body(HttpResponse<String> response) throws Exception {
        return json.readValue(response.body(), Map.class);
    }

    private static String slug() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void creatingAnOrganizationPersistsItAndPublishesOrganizationCreated() throws Exception {
        String slug = slug();
        var created = post("{\"slug\":\"" + slug + "\",\"displayName\":\"  Acme Corp  \"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        Map<String, Object> org = body(created);
        String id = (String) org.get("id");
        assertThat(id).matches("org_[0-9a-z]{26}");
        assertThat(org).containsEntry("slug", slug).containsEntry("displayName", "Acme Corp");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/organizations/" + id);

        var read = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/api/v1/organizations/" + id))
                        .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(body(read)).isEqualTo(org);

        // The event reaches Kafka, in the documented envelope, keyed by the organization id.
        Map<String, Object> envelope = consumeEventFor(id);
        assertThat(envelope).containsEntry("type", "OrganizationCreated").containsEntry("version", 1)
                .containsEntry("tenantId", id).containsKeys("id", "occurredAt");
        assertThat(envelope.get("payload"))
                .isEqualTo(Map.of("organizationId", id, "slug", slug, "displayName", "Acme Corp"));
        // ...and the relay marked its outbox row published.
        assertThat(outboxRows(id, "published_at is not null")).isEqualTo(1);
    }

    @Test
    void aTakenSlugIsAConflictAndRecordsNoEvent() throws Exception {
        String slug = slug();
        assertThat(post("{\"slug\":\"" + slug + "\",\"displayName\":\"First\"}").statusCode()).isEqualTo(201);
        var second = post("{\"slug\":\"" + slug + "\",\"displayName\":\"Second\"}");

        assertProblem(second, 409, "conflict");
        assertThat(body(second).get("detail")).isEqualTo("The slug '" + slug + "' is taken");
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(
                "select count(*) from gatehouse_kit.outbox o join organization g on g.id = o.event_key where g.slug = ?")) {
            s.setString(1, slug);
            var rs = s.executeQuery();
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON           | {"slug":"acme",                         | 400 | malformed-request
            empty object             | {}                                      | 400 | validation-failed
            JSON null                | null                                    | 400 | malformed-request
            JSON array               | []                                      | 400 | malformed-request
            empty body               | ''                                      | 400 | malformed-request
            slug with uppercase      | {"slug":"Acme","displayName":"A"}       | 400 | validation-failed
            slug with hyphen at end  | {"slug":"acme-","displayName":"A"}      | 400 | validation-failed
            blank display name       | {"slug":"acme","displayName":"   "}     | 400 | validation-failed
            missing display name     | {"slug":"acme"}                         | 400 | validation-failed
            wrong type               | {"slug":{"a":1},"displayName":"A"}      | 400 | malformed-request
            """)
    void badBodiesGetProblemJson(String name, String body, int status, String type) throws Exception {
        assertProblem(post(body), status, type);
    }

    @Test
    void oversizedFieldsAreRejectedFieldByField() throws Exception {
        var response = post("{\"slug\":\"" + "a".repeat(64) + "\",\"displayName\":\"" + "n".repeat(201) + "\"}");
        assertProblem(response, 400, "validation-failed");
        @SuppressWarnings("unchecked")
        var errors = (List<Map<String, String>>) body(response).get("errors");
        assertThat(errors).extracting(e -> e.get("field")).containsExactly("displayName", "slug");
    }

    @Test
    void aHugeBodyIsRefusedWith413() throws Exception {
        String huge = "{\"slug\":\"acme\",\"displayName\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(post(huge), 413, "payload-too-large");
    }

    @Test
    void onlyJsonIsAccepted() throws Exception {
        assertProblem(post("slug=acme", "application/x-www-form-urlencoded", Map.of()), 415, "unsupported-media-type");
    }

    @Test
    void unknownOrganizationsAndRoutesAre404ProblemJson() throws Exception {
        for (String path : List.of("/api/v1/organizations/org_doesnotexist", "/api/v1/organizations/..%2F..",
                "/api/v1/nothing-here")) {
            var response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve(path))
                    .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(response, 404, "not-found");
        }
        var delete = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/api/v1/organizations")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(delete, 405, "method-not-allowed");
    }

    @Test
    void aWellFormedRequestIdIsKeptAndEchoed() throws Exception {
        var response = post("{}", "application/json", Map.of("X-Request-Id", "req-0123456789abcdef"));
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-0123456789abcdef");
        assertThat(body(response)).containsEntry("requestId", "req-0123456789abcdef");

        var forged = post("{}", "application/json", Map.of("X-Request-Id", "bad id\" <script>"));
        assertThat(forged.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{24}");
    }

    @Test
    void healthAndOpenApiAreServed() throws Exception {
        var readiness = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"jdbc\"", "\"kafka\"");
        var openapi = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/openapi.yml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).startsWith("openapi: 3").contains("/api/v1/organizations:");
        var metrics = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("gatehouse_outbox_backlog");
    }

    // ---- authentication, update, list, archive

    private Api api() {
        return new Api(server.getURI(), json);
    }

    private KafkaEvents kafka() {
        return new KafkaEvents(server.getApplicationContext().getProperty("kafka.bootstrap.servers", String.class)
                .orElseThrow(), json);
    }

    private String createOrg(String token) {
        return api().post("/api/v1/organizations", token, "{\"slug\":\"" + slug() + "\",\"displayName\":\"Org\"}")
                .status(201).string("id");
    }

    @Test
    void theApiNeedsAValidGatehouseToken() {
        var anonymous = api().get("/api/v1/organizations", null).problem(401, "unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        var issuer = TestIssuer.get();
        for (String bad : List.of("not-a-jwt",
                issuer.token(c -> c.subject("usr_a").claim("sid", "s").audience("someone-else")),
                issuer.token(c -> c.subject("usr_a").claim("sid", "s").issuer("https://evil.test")),
                issuer.token(c -> c.subject("usr_a").claim("sid", "s")
                        .expirationTime(java.util.Date.from(java.time.Instant.now().minusSeconds(600)))))) {
            var rejected = api().get("/api/v1/organizations", bad).problem(401, "unauthorized");
            assertThat(rejected.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        }
        // a service token is for /internal only
        api().post("/api/v1/organizations", issuer.service(), "{\"slug\":\"" + slug() + "\",\"displayName\":\"S\"}")
                .problem(403, "forbidden");
    }

    @Test
    void aSignedInUserCreatesAnOrganizationAndBecomesItsAdmin() {
        String user = "usr_creator_" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestIssuer.get().user(user);
        String id = createOrg(token);
        var member = api().get("/api/v1/organizations/" + id + "/members/" + user, token).status(200).map();
        assertThat(member.get("roles")).isEqualTo(List.of("admin"));
        // others do not even learn that it exists
        api().get("/api/v1/organizations/" + id, TestIssuer.get().user("usr_stranger")).problem(404, "not-found");
    }

    @Test
    void updatesChangeTheSettingsAndPublishOrganizationUpdated() {
        String id = createOrg(ADMIN);
        var updated = api().patch("/api/v1/organizations/" + id, ADMIN, """
                {"displayName":"Renamed","logoUrl":"https://cdn.example.com/logo.png","primaryColor":"#112233",
                 "accentColor":"#abcdef","metadata":{"plan":"pro","region":"eu"}}""").status(200).map();
        assertThat(updated).containsEntry("displayName", "Renamed").containsEntry("primaryColor", "#112233")
                .containsEntry("logoUrl", "https://cdn.example.com/logo.png")
                .containsEntry("metadata", Map.of("plan", "pro", "region", "eu"));
        assertThat(api().get("/api/v1/organizations/" + id, ADMIN).map()).isEqualTo(updated);
        // the same values again change nothing: no event, updatedAt kept
        assertThat(api().patch("/api/v1/organizations/" + id, ADMIN, "{\"displayName\":\"Renamed\"}").map())
                .isEqualTo(updated);
        // clearing an optional field
        assertThat(api().patch("/api/v1/organizations/" + id, ADMIN, "{\"logoUrl\":\"\"}").map())
                .doesNotContainKey("logoUrl");

        var events = kafka().await(Topics.TENANT_ORGANIZATION, id, 3);
        assertThat(events).extracting(KafkaEvents.Event::type)
                .containsExactly("OrganizationCreated", "OrganizationUpdated", "OrganizationUpdated");
        assertThat(events.get(1).payload()).containsEntry("displayName", "Renamed")
                .containsEntry("metadata", Map.of("plan", "pro", "region", "eu"));

        api().patch("/api/v1/organizations/" + id, ADMIN, "{\"logoUrl\":\"http://insecure.example.com/x.png\"}")
                .problem(400, "validation-failed");
        api().patch("/api/v1/organizations/" + id, ADMIN, "{\"primaryColor\":\"red\"}").problem(400, "validation-failed");
        api().patch("/api/v1/organizations/" + id, ADMIN, "{\"metadata\":{\"bad key!\":\"x\"}}")
                .problem(400, "validation-failed");
        String other = createOrg(ADMIN);
        String takenSlug = (String) api().get("/api/v1/organizations/" + other, ADMIN).map().get("slug");
        api().patch("/api/v1/organizations/" + id, ADMIN, "{\"slug\":\"" + takenSlug + "\"}").problem(409, "conflict");
    }

    @Test
    void listsArePagedByCursor() {
        String user = "usr_lister_" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestIssuer.get().user(user);
        var mine = new java.util.TreeSet<String>();
        for (int i = 0; i < 3; i++) {
            mine.add(createOrg(token));
        }
        var first = api().get("/api/v1/organizations?limit=2", token).status(200);
        assertThat(first.map().get("page")).isEqualTo(Map.of("limit", 2, "next", first.next()));
        var second = api().get("/api/v1/organizations?limit=2&after=" + first.next(), token).status(200);
        assertThat(second.next()).isNull();
        assertThat(second.body()).contains("\"next\":null");
        var seen = new java.util.ArrayList<String>();
        first.data().forEach(o -> seen.add((String) o.get("id")));
        second.data().forEach(o -> seen.add((String) o.get("id")));
        assertThat(seen).containsExactlyElementsOf(mine);

        // a platform admin sees every organization
        var all = api().get("/api/v1/organizations?limit=200", ADMIN).status(200);
        assertThat(all.data()).extracting(o -> o.get("id")).containsAll(mine);

        api().get("/api/v1/organizations?limit=0", token).problem(400, "validation-failed");
        api().get("/api/v1/organizations?limit=201", token).problem(400, "validation-failed");
        api().get("/api/v1/organizations?after=%25%25", token).problem(400, "validation-failed");
    }

    @Test
    void archivingMakesAnOrganizationReadOnlyAndHidesItFromItsMembers() {
        String user = "usr_archiver_" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestIssuer.get().user(user);
        String id = createOrg(token);
        var archived = api().post("/api/v1/organizations/" + id + "/archive", token, null).status(200).map();
        assertThat(archived).containsKey("archivedAt");
        // idempotent
        assertThat(api().post("/api/v1/organizations/" + id + "/archive", ADMIN, null).status(200).map()
                .get("archivedAt")).isEqualTo(archived.get("archivedAt"));
        api().patch("/api/v1/organizations/" + id, ADMIN, "{\"displayName\":\"X\"}").problem(409, "conflict");
        api().put("/api/v1/organizations/" + id + "/members/usr_new", ADMIN, "{\"roles\":[\"viewer\"]}")
                .problem(409, "conflict");
        // no more tokens for it: the permission lookup answers 404
        api().get("/internal/v1/organizations/" + id + "/members/" + user + "/permissions",
                TestIssuer.get().service()).problem(404, "not-found");
        api().get("/api/v1/organizations/" + id, token).problem(404, "not-found");
        assertThat(api().get("/api/v1/organizations?limit=200", ADMIN).body()).doesNotContain(id);
        assertThat(api().get("/api/v1/organizations?limit=200&includeArchived=true", ADMIN).body()).contains(id);
        assertThat(kafka().await(Topics.TENANT_ORGANIZATION, id, 2)).extracting(KafkaEvents.Event::type)
                .containsExactly("OrganizationCreated", "OrganizationArchived");
    }

    private void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Map<String, Object> problem = body(response);
        assertThat(problem).containsEntry("type", "urn:gatehouse:problem:" + type).containsEntry("status", status)
                .containsKeys("title", "requestId", "instance");
        assertThat(response.body()).doesNotContain("Exception", "[Source", "REDACTED", "io.micronaut", "java.");
    }

    private int outboxRows(String aggregateId, String condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(
                    "select count(*) from gatehouse_kit.outbox where event_key = ? and " + condition)) {
                s.setString(1, aggregateId);
                var rs = s.executeQuery();
                rs.next();
                if (rs.getInt(1) > 0 || System.nanoTime() > deadline) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> consumeEventFor(String key) throws Exception {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.getApplicationContext()
                .getProperty("kafka.bootstrap.servers", String.class).orElseThrow());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.TENANT_ORGANIZATION.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        return json.readValue(record.value(), Map.class);
                    }
                }
            }
        }
        throw new AssertionError("no event for " + key + " on " + Topics.TENANT_ORGANIZATION.name());
    }
}
