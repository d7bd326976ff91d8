package dev.gatehouse.tenant.apikey;

import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.tenant.rbac.RbacConfig;
import dev.gatehouse.tenant.support.Api;
import dev.gatehouse.tenant.support.KafkaEvents;
import dev.gatehouse.tenant.support.TenantServers;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** User groups (roles, members, rate limit) and the API keys scoped to them, down to what Kafka carries. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class GroupsAndApiKeysTest implements TenantServers {
    private static final String PLATFORM = TestIssuer.get().platformAdmin();

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    private DataSource dataSource;
    private Api api;
    private KafkaEvents kafka;
    private String org;

    @Inject
    void dataSource(DataSource transactionAware) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(transactionAware);
    }

    @BeforeAll
    void organization() {
        api = new Api(server.getURI(), json);
        kafka = new KafkaEvents(server.getApplicationContext().getProperty("kafka.bootstrap.servers", String.class)
                .orElseThrow(), json);
        org = newOrganization();
    }

    private String newOrganization() {
        return api.post("/api/v1/organizations", PLATFORM, "{\"slug\":\"" + unique("keys-") + "\",\"displayName\":\"K\"}")
                .status(201).string("id");
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private String path(String rest) {
        return "/api/v1/organizations/" + org + rest;
    }

    @Test
    void groupsCarryRolesMembersAndARateLimit() {
        var created = api.post(path("/groups"), PLATFORM, """
                {"name":"ci-bots","description":"CI","roles":["operator"],
                 "rateLimit":{"requests":100,"windowSeconds":60}}""").status(201);
        String id = created.string("id");
        assertThat(id).matches("grp_[0-9a-z]{26}");
        assertThat(created.map()).containsEntry("name", "ci-bots").containsEntry("roles", List.of("operator"))
                .containsEntry("rateLimit", Map.of("requests", 100, "windowSeconds", 60, "burst", 100));
        assertThat(created.headers().firstValue("Location")).hasValue(path("/groups/" + id));
        assertThat(api.get(path("/groups/" + id), PLATFORM).map()).isEqualTo(created.map());

        api.post(path("/groups"), PLATFORM, "{\"name\":\"ci-bots\",\"roles\":[]}").problem(409, "conflict");
        api.post(path("/groups"), PLATFORM, "{\"name\":\"x\",\"roles\":[\"nope\"]}").problem(400, "validation-failed");
        api.post(path("/groups"), PLATFORM, "{\"name\":\"x\",\"roles\":[],\"rateLimit\":{\"requests\":0,"
                + "\"windowSeconds\":60}}").problem(400, "validation-failed");
        api.post(path("/groups"), PLATFORM, "{\"name\":\"x\",\"roles\":[],\"rateLimit\":{\"requests\":5}}")
                .problem(400, "validation-failed");
        api.post(path("/groups"), PLATFORM, "{\"roles\":[]}").problem(400, "validation-failed");

        String user = unique("usr_g_");
        api.put(path("/groups/" + id + "/members/" + user), PLATFORM, null).problem(409, "conflict");
        api.put(path("/members/" + user), PLATFORM, "{\"roles\":[\"viewer\"]}").status(201);
        api.put(path("/groups/" + id + "/members/" + user), PLATFORM, null).status(201);
        api.put(path("/groups/" + id + "/members/" + user), PLATFORM, null).status(204);
        assertThat(api.get(path("/groups/" + id + "/members"), PLATFORM).data())
                .extracting(m -> m.get("userId")).containsExactly(user);
        api.get(path("/groups/grp_nope/members"), PLATFORM).problem(404, "not-found");
        api.delete(path("/groups/" + id + "/members/" + user), PLATFORM).status(204);
        api.delete(path("/groups/" + id + "/members/" + user), PLATFORM).problem(404, "not-found");

        // paged by id
        for (int i = 0; i < 3; i++) {
            api.post(path("/groups"), PLATFORM, "{\"name\":\"" + unique("p") + "\",\"roles\":[]}").status(201);
        }
        var first = api.get(path("/groups?limit=2"), PLATFORM).status(200);
        var rest = api.get(path("/groups?limit=200&after=" + first.next()), PLATFORM).status(200);
        assertThat(first.data().size() + rest.data().size()).isEqualTo(
                api.get(path("/groups?limit=200"), PLATFORM).data().size());
    }

    @Test
    void anApiKeyIsShownOnceAndTravelsOnlyAsAHash() throws Exception {
        String group = api.post(path("/groups"), PLATFORM, """
                {"name":"%s","roles":["operator"],"rateLimit":{"requests":10,"windowSeconds":1,"burst":20}}"""
                .formatted(unique("k"))).status(201).string("id");
        var created = api.post(path("/api-keys"), PLATFORM,
                "{\"name\":\"deploy bot\",\"groupId\":\"" + group + "\"}").status(201);
        String secret = created.string("secret");
        var key = (Map<String, Object>) created.map().get("apiKey");
        String keyId = (String) key.get("id");
        assertThat(secret).matches("gh_live_[0-9a-z]{12}_[A-Za-z0-9_-]{43}");
        assertThat(key).containsEntry("prefix", secret.substring(0, 20)).containsEntry("status", "active")
                .containsEntry("groupId", group).containsEntry("name", "deploy bot").doesNotContainKey("secretHash");
        String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));

        // never again: not by id, not in the list, not in the event, not in the database
        String secretPart = secret.substring(21);
        assertThat(api.get(path("/api-keys/" + keyId), PLATFORM).status(200).body())
                .doesNotContain(secretPart).doesNotContain(hash);
        assertThat(api.get(path("/api-keys"), PLATFORM).status(200).body()).doesNotContain(secretPart)
                .doesNotContain(hash).contains(keyId);
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(
                "select secret_hash, prefix from api_key where id = ?")) {
            s.setString(1, keyId);
            var rs = s.executeQuery();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(hash);
            assertThat(rs.getString(2)).isEqualTo(secret.substring(0, 20));
        }
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(
                "select count(*) from gatehouse_kit.outbox where envelope like ?")) {
            s.setString(1, "%" + secretPart + "%");
            var rs = s.executeQuery();
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }

        var createdEvent = kafka.await(Topics.TENANT_API_KEY, keyId, 1).get(0);
        assertThat(createdEvent.type()).isEqualTo("ApiKeyCreated");
        var operator = new TreeSet<>(RbacConfig.DEFAULT_VIEWER);
        operator.addAll(RbacConfig.DEFAULT_OPERATOR);
        assertThat(createdEvent.payload()).containsEntry("keyId", keyId).containsEntry("organizationId", org)
                .containsEntry("groupId", group).containsEntry("prefix", secret.substring(0, 20))
                .containsEntry("secretHash", hash).containsEntry("permissions", List.copyOf(operator))
                .containsEntry("rateLimit", Map.of("requests", 10, "windowSeconds", 1, "burst", 20));

        // the group gains admin: the key's state is republished, still without admin permissions
        api.put(path("/groups/" + group), PLATFORM, """
                {"name":"renamed-%s","roles":["admin"],"rateLimit":{"requests":5,"windowSeconds":1}}"""
                .formatted(unique(""))).status(200);
        var updated = kafka.await(Topics.TENANT_API_KEY, keyId, 2).get(1);
        assertThat(updated.type()).isEqualTo("ApiKeyUpdated");
        assertThat((List<String>) updated.payload().get("permissions")).containsExactlyElementsOf(operator)
                .doesNotContainAnyElementsOf(RbacConfig.DEFAULT_ADMIN);
        assertThat(updated.payload().get("rateLimit")).isEqualTo(Map.of("requests", 5, "windowSeconds", 1, "burst", 5));

        // gateways report use
        api.post("/internal/v1/api-keys/usage", TestIssuer.get().service(),
                "{\"usage\":[{\"keyId\":\"" + keyId + "\",\"lastUsedAt\":\"2030-01-01T00:00:00Z\"}]}").status(204);
        assertThat(api.get(path("/api-keys/" + keyId), PLATFORM).map()).containsEntry("lastUsedAt",
                "2030-01-01T00:00:00Z");
        api.post("/internal/v1/api-keys/usage", PLATFORM, "{\"usage\":[]}").problem(403, "forbidden");

        api.delete(path("/api-keys/" + keyId), PLATFORM).status(204);
        api.delete(path("/api-keys/" + keyId), PLATFORM).status(204);
        api.delete(path("/api-keys/key_nope"), PLATFORM).problem(404, "not-found");
        assertThat(api.get(path("/api-keys/" + keyId), PLATFORM).map()).containsEntry("status", "revoked")
                .containsKey("revokedAt");
        var revoked = kafka.await(Topics.TENANT_API_KEY, keyId, 3).get(2);
        assertThat(revoked.type()).isEqualTo("ApiKeyRevoked");
        assertThat(revoked.payload()).containsEntry("keyId", keyId).containsEntry("organizationId", org)
                .containsKey("revokedAt");
    }

    @Test
    void keysNeverCarryAdminPermissionsAndBadRequestsAreRefused() {
        String adminGroup = api.post(path("/groups"), PLATFORM,
                "{\"name\":\"" + unique("a") + "\",\"roles\":[\"admin\"]}").status(201).string("id");
        api.post(path("/api-keys"), PLATFORM, "{\"name\":\"k\",\"groupId\":\"" + adminGroup + "\"}")
                .problem(409, "conflict");
        api.post(path("/api-keys"), PLATFORM, "{\"name\":\"k\",\"groupId\":\"grp_nope\"}")
                .problem(400, "validation-failed");
        String group = api.post(path("/groups"), PLATFORM, "{\"name\":\"" + unique("v") + "\",\"roles\":[\"viewer\"]}")
                .status(201).string("id");
        api.post(path("/api-keys"), PLATFORM, "{\"name\":\"k\",\"groupId\":\"" + group
                + "\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}").problem(400, "validation-failed");
        api.post(path("/api-keys"), PLATFORM, "{\"name\":\"\",\"groupId\":\"" + group + "\"}")
                .problem(400, "validation-failed");
        api.post(path("/api-keys"), PLATFORM, "{\"name\":\"k\",\"groupId\":\"" + group + "\",\"expiresAt\":\"soon\"}")
                .problem(400, "malformed-request");
        var expiring = api.post(path("/api-keys"), PLATFORM, "{\"name\":\"k\",\"groupId\":\"" + group
                + "\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}").status(201);
        assertThat((Map<String, Object>) expiring.map().get("apiKey")).containsKey("expiresAt");
    }

    @Test
    void deletingAGroupOrArchivingTheOrganizationRevokesItsKeys() {
        String other = newOrganization();
        String base = "/api/v1/organizations/" + other;
        String group = api.post(base + "/groups", PLATFORM, "{\"name\":\"g\",\"roles\":[\"viewer\"]}").status(201)
                .string("id");
        String first = (String) ((Map<String, Object>) api.post(base + "/api-keys", PLATFORM,
                "{\"name\":\"a\",\"groupId\":\"" + group + "\"}").status(201).map().get("apiKey")).get("id");
        api.delete(base + "/groups/" + group, PLATFORM).status(204);
        assertThat(kafka.await(Topics.TENANT_API_KEY, first, 2).get(1).type()).isEqualTo("ApiKeyRevoked");

        String group2 = api.post(base + "/groups", PLATFORM, "{\"name\":\"g2\",\"roles\":[\"viewer\"]}").status(201)
                .string("id");
        String second = (String) ((Map<String, Object>) api.post(base + "/api-keys", PLATFORM,
                "{\"name\":\"b\",\"groupId\":\"" + group2 + "\"}").status(201).map().get("apiKey")).get("id");
        api.post(base + "/archive", PLATFORM, null).status(200);
        assertThat(kafka.await(Topics.TENANT_API_KEY, second, 2).get(1).type()).isEqualTo("ApiKeyRevoked");
    }

    @Test
    void theApiKeyTopicIsCompacted() throws Exception {
        String bootstrap = server.getApplicationContext().getProperty("kafka.bootstrap.servers", String.class)
                .orElseThrow();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TENANT_API_KEY.name());
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }
}
