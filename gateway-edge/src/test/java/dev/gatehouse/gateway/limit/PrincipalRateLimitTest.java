package dev.gatehouse.gateway.limit;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.tenant.ApiKeyCreated;
import dev.gatehouse.contract.event.tenant.RateLimitPolicy;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.gateway.support.TestIssuer;
import dev.gatehouse.gateway.testing.EchoUpstream;
import dev.gatehouse.gateway.testing.RedisProcess;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits per user (bearer JWT), per API key and per API key group (the group's policy from tenant-service's
 * events on a real Kafka topic), through the real gateway with a real redis-server child process, which one test kills:
 * JWT routes keep working on local buckets.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrincipalRateLimitTest implements TestPropertyProvider {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private EchoUpstream upstream;
    private RedisProcess redis;
    private TestIssuer issuer;
    private String kafka;

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        if (upstream == null) {
            upstream = EchoUpstream.start();
            redis = RedisProcess.start();
            issuer = new TestIssuer("https://auth.limits.test");
            kafka = TestServers.get().kafkaBootstrap();
            createTopic();
        }
        Map<String, String> p = new HashMap<>();
        for (String name : List.of("identity", "session", "tenant")) {
            p.put("gatehouse.gateway.upstreams." + name, upstream.uri().toString());
        }
        p.put("gatehouse.gateway.auth.issuer", issuer.issuer());
        p.put("gatehouse.gateway.auth.jwks-uri", issuer.jwksUri().toString());
        p.put("gatehouse.gateway.auth.audiences", "gatehouse");
        p.put("gatehouse.gateway.events.bootstrap-servers", kafka);
        p.put("gatehouse.gateway.rate-limits.redis-uri", redis.uri());
        p.put("gatehouse.gateway.rate-limits.redis-timeout", "1s");
        p.put("gatehouse.gateway.rate-limits.breaker-open-for", "1s");
        p.put("gatehouse.gateway.rate-limits.policies.default.ip", "10000/1m");
        // a token every 2 s per user / key: a busy machine does not refill between two requests
        p.put("gatehouse.gateway.rate-limits.policies.people.ip", "10000/1m");
        p.put("gatehouse.gateway.rate-limits.policies.people.user", "2/4s");
        p.put("gatehouse.gateway.rate-limits.policies.people.api-key", "2/4s");
        p.put("gatehouse.gateway.rate-limits.policies.people.group", "1000/1m");
        route(p, 16, "/jwt/", "bearer");
        route(p, 17, "/key/", "api-key");
        return p;
    }

    private static void route(Map<String, String> p, int i, String prefix, String authenticator) {
        p.put("gatehouse.gateway.routes[" + i + "].prefix", prefix);
        p.put("gatehouse.gateway.routes[" + i + "].upstream", "identity");
        p.put("gatehouse.gateway.routes[" + i + "].access", "authenticated");
        p.put("gatehouse.gateway.routes[" + i + "].authenticators", authenticator);
        p.put("gatehouse.gateway.routes[" + i + "].rate-limit", "people");
    }

    @AfterAll
    void stop() {
        upstream.close();
        redis.close();
        issuer.close();
    }

    private HttpResponse<String> get(String path, String header, String value) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                    .header(header, value).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> asUser(String user) {
        String token = issuer.sign(issuer.claims("gatehouse", user, "org_a", "ses_" + user, List.of()));
        return get("/jwt/x", "Authorization", "Bearer " + token);
    }

    @Test
    void eachUserHasABucketOfTheirOwn() {
        String alice = "usr_" + UUID.randomUUID().toString().substring(0, 8);
        asUser("usr_warm");
        assertThat(asUser(alice).statusCode()).isEqualTo(200);
        HttpResponse<String> second = asUser(alice);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"user\";r=0"));
        HttpResponse<String> refused = asUser(alice);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue(
                "\"ip\";q=10000;w=60, \"user\";q=2;w=4");
        assertThat(asUser("usr_" + UUID.randomUUID().toString().substring(0, 8)).statusCode())
                .as("another user").isEqualTo(200);
    }

    @Test
    void keysOfOneGroupShareTheGroupsPolicyFromTenantService() throws Exception {
        String group = "grp_" + UUID.randomUUID().toString().substring(0, 8);
        RateLimitPolicy twoPerMinute = new RateLimitPolicy(2, 60, 2);
        String first = apiKey(group, twoPerMinute);
        String second = apiKey(group, twoPerMinute);
        awaitStatus(first, 200);
        awaitStatus(second, 200);
        // both keys drew from the group's bucket: it is empty now, although each key has a token left
        HttpResponse<String> refused = get("/key/x", "X-API-Key", first);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(
                v -> assertThat(v).startsWith("\"group\";r=0"));
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(
                v -> assertThat(v).contains("\"group\";q=2;w=60").contains("\"key\";q=2;w=4"));
        assertThat(get("/key/x", "X-API-Key", second).statusCode()).isEqualTo(429);

        String other = apiKey("grp_" + UUID.randomUUID().toString().substring(0, 8), twoPerMinute);
        awaitStatus(other, 200);
    }

    @Test
    void withRedisKilledJwtRoutesKeepWorkingOnLocalBuckets() {
        asUser("usr_warm2");
        redis.kill();
        try {
            String bob = "usr_" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(asUser(bob).statusCode()).isEqualTo(200);
            assertThat(asUser(bob).statusCode()).isEqualTo(200);
            assertThat(asUser(bob).statusCode()).as("still limited, locally").isEqualTo(429);
            for (int i = 0; i < 5; i++) {
                assertThat(asUser("usr_" + UUID.randomUUID().toString().substring(0, 8)).statusCode())
                        .isEqualTo(200);
            }
        } finally {
            redis.restart();
        }
    }

    private void awaitStatus(String key, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> response;
        do {
            response = get("/key/x", "X-API-Key", key);
            if (response.statusCode() == status) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private String apiKey(String group, RateLimitPolicy policy) throws Exception {
        String key = "gh_live_" + UUID.randomUUID().toString().replace("-", "");
        String keyId = "key_" + UUID.randomUUID().toString().substring(0, 8);
        String hash = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        ApiKeyCreated created = new ApiKeyCreated(keyId, new OrgId("org_a"), group, key.substring(0, 20), hash,
                List.of("organization.read"), policy, null);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            byte[] value = json.writeValueAsBytes(new EventEnvelope<>(UUID.randomUUID(),
                    Events.API_KEY_CREATED.name(), 1, Instant.now(), "org_a", created));
            producer.send(new ProducerRecord<>(Topics.TENANT_API_KEY.name(), keyId, value)).get();
        }
        return key;
    }

    private void createTopic() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(props)) {
            // the gateway's event feed reads both topics
            for (var t : List.of(Topics.TENANT_API_KEY, Topics.SESSION_SESSION)) {
                var topic = new NewTopic(t.name(), t.partitions(), (short) 1);
                if (t.compacted()) {
                    topic.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(topic)).all().get();
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
}
