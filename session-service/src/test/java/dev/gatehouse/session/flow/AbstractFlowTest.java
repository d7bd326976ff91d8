package dev.gatehouse.session.flow;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.session.client.ClientSpec;
import dev.gatehouse.session.oauth.OAuthServerTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The browser half of the authorization code flow, driven over HTTP as identity-service and a relying party would:
 * the authorization request, the login challenge answered through the internal API, and the code redeemed.
 */
abstract class AbstractFlowTest extends OAuthServerTest {
    static final String ISSUER = "http://127.0.0.1:8080";
    static final String LOGIN_URL = ISSUER + "/login?login_challenge=";
    static final String LOOPBACK = "http://127.0.0.1/callback";
    static final List<String> ALL_SCOPES = List.of("openid", "profile", "email", "offline_access");
    static final Instant AUTH_TIME = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);

    private String serviceToken;

    /** A PKCE pair (RFC 7636): the verifier and its S256 challenge. */
    record Pkce(String verifier, String challenge) {
        static Pkce create() {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            return new Pkce(verifier, s256(verifier));
        }
    }

    /** What identity-service asserts about the user who signed in. */
    record User(String userId, String organizationId, String email, String name, String pictureUrl) {
        static User random() {
            String id = UUID.randomUUID().toString().substring(0, 8);
            return new User("usr_" + id, "org_" + id, id + "@example.com", "Alice " + id,
                    "https://cdn.example.com/avatars/" + id + ".png");
        }

        String json() {
            return """
                    {"userId":"%s","organizationId":"%s","email":"%s","emailVerified":true,"name":"%s",\
                    "pictureUrl":"%s","platformAdmin":false,"authTime":"%s"}"""
                    .formatted(userId, organizationId, email, name, pictureUrl, AUTH_TIME);
        }
    }

    /** The answer of a completed sign-in at the token endpoint. */
    record Tokens(String accessToken, String idToken, String refreshToken, String scope, Map<String, Object> body) {
        static Tokens of(Map<String, Object> body) {
            return new Tokens((String) body.get("access_token"), (String) body.get("id_token"),
                    (String) body.get("refresh_token"), (String) body.get("scope"), body);
        }
    }

    protected TestClient publicClient(List<String> scopes, String... redirectUris) {
        return register(spec(unique("app"), "public", List.of("authorization_code", "refresh_token"), scopes,
                List.of(), List.of(redirectUris)));
    }

    protected TestClient confidentialClient(List<String> scopes, List<String> audiences, String... redirectUris) {
        return register(spec(unique("web"), "confidential", List.of("authorization_code", "refresh_token"), scopes,
                audiences, List.of(redirectUris)));
    }

    protected TestClient register(String id, String type, List<String> scopes, List<String> audiences,
                                  String resourceAudience, Integer refreshIdleTtl, Integer refreshAbsoluteTtl,
                                  String... redirectUris) {
        return register(new ClientSpec(id, type, "Test " + id, List.of(redirectUris), List.of(),
                List.of("authorization_code", "refresh_token"), scopes, audiences, resourceAudience, null,
                refreshIdleTtl, refreshAbsoluteTtl, null, null));
    }

    /** A loopback redirect URI on some ephemeral port, as a native app would bind. */
    static String loopbackOnSomePort() {
        return "http://127.0.0.1:" + (49152 + new java.security.SecureRandom().nextInt(16000)) + "/callback";
    }

    protected String serviceToken() throws Exception {
        if (serviceToken == null) {
            serviceToken = serviceToken(internalService());
        }
        return serviceToken;
    }

    /** A fresh service token (for tests that move the clock past a cached one's expiry). */
    protected void forgetServiceToken() {
        serviceToken = null;
    }

    /** The standard request parameters of a public client with PKCE. */
    static Map<String, String> authorization(TestClient client, String redirectUri, List<String> scopes, Pkce pkce,
                                             String state, String nonce) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.id());
        params.put("redirect_uri", redirectUri);
        params.put("scope", String.join(" ", scopes));
        if (state != null) {
            params.put("state", state);
        }
        if (nonce != null) {
            params.put("nonce", nonce);
        }
        if (pkce != null) {
            params.put("code_challenge", pkce.challenge());
            params.put("code_challenge_method", "S256");
        }
        return params;
    }

    protected HttpResponse<String> authorize(Map<String, String> params) throws Exception {
        return authorizeRaw(encodeForm(params));
    }

    protected HttpResponse<String> authorizeRaw(String query) throws Exception {
        return get("/oauth2/authorize?" + query, null);
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                "no Location header; status " + response.statusCode() + ": " + response.body()));
    }

    /** The login challenge of a successful authorization request (302 to identity-service's sign-in page). */
    static String challengeOf(HttpResponse<String> response) {
        if (response.statusCode() != 302) {
            throw new AssertionError("expected 302 to the login page, got " + response.statusCode() + ": "
                    + response.body());
        }
        String location = location(response);
        if (!location.startsWith(LOGIN_URL)) {
            throw new AssertionError("not the login page: " + location);
        }
        return query(URI.create(location)).get("login_challenge");
    }

    protected HttpResponse<String> readChallenge(String challenge, String bearer) throws Exception {
        return get("/internal/v1/login-challenges/" + challenge, bearer);
    }

    protected HttpResponse<String> accept(String challenge, User user) throws Exception {
        return postJson("/internal/v1/login-challenges/" + challenge + "/accept", user.json(), serviceToken());
    }

    protected HttpResponse<String> reject(String challenge, String json) throws Exception {
        return postJson("/internal/v1/login-challenges/" + challenge + "/reject", json, serviceToken());
    }

    /** Accepts the challenge with {@code user} and returns where the browser is sent (the callback). */
    protected URI acceptAndFollow(String challenge, User user) throws Exception {
        var accepted = accept(challenge, user);
        if (accepted.statusCode() != 200) {
            throw new AssertionError("accept: " + accepted.statusCode() + " " + accepted.body());
        }
        return URI.create((String) json(accepted).get("redirectTo"));
    }

    /** Runs the browser half of the flow and returns the authorization code. */
    protected String code(TestClient client, String redirectUri, List<String> scopes, Pkce pkce, String nonce,
                          User user) throws Exception {
        String state = "st-" + UUID.randomUUID();
        var response = authorize(authorization(client, redirectUri, scopes, pkce, state, nonce));
        URI callback = acceptAndFollow(challengeOf(response), user);
        Map<String, String> query = query(callback);
        if (!state.equals(query.get("state")) || query.get("code") == null) {
            throw new AssertionError("unexpected callback " + callback);
        }
        return query.get("code");
    }

    /** Redeems a code as a public client (client_id in the body) or a confidential one (Basic). */
    protected HttpResponse<String> redeem(TestClient client, String code, String redirectUri, String verifier)
            throws Exception {
        Map<String, String> form = form("grant_type", "authorization_code", "code", code);
        if (redirectUri != null) {
            form.put("redirect_uri", redirectUri);
        }
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        if (client.secret() == null) {
            form.put("client_id", client.id());
            return post("/oauth2/token", form, null);
        }
        return post("/oauth2/token", form, client.basic());
    }

    /** The whole flow: authorize, sign in as {@code user}, redeem. */
    protected Tokens signIn(TestClient client, List<String> scopes, User user) throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(client, LOOPBACK, scopes, pkce, "n-" + UUID.randomUUID(), user);
        var response = redeem(client, code, LOOPBACK, pkce.verifier());
        if (response.statusCode() != 200) {
            throw new AssertionError("redeem: " + response.statusCode() + " " + response.body());
        }
        return Tokens.of(json(response));
    }

    protected HttpResponse<String> refresh(TestClient client, String refreshToken, String scope) throws Exception {
        Map<String, String> form = form("grant_type", "refresh_token", "refresh_token", refreshToken);
        if (scope != null) {
            form.put("scope", scope);
        }
        if (client.secret() == null) {
            form.put("client_id", client.id());
            return post("/oauth2/token", form, null);
        }
        return post("/oauth2/token", form, client.basic());
    }

    /** The query parameters of a URI, decoded. */
    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** Verifies a JWT of ours against the published JWKS, requiring {@code typ}. */
    protected JWTClaimsSet verified(String jwt, JOSEObjectType type) throws Exception {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        var jwks = JWKSet.parse(get("/.well-known/jwks.json", null).body());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(jwks)));
        return processor.process(jwt, null);
    }

    static String s256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OIDC Core §3.1.3.6 at_hash for a SHA-256 algorithm: base64url of the left half of the hash. */
    static String atHash(String accessToken) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    /**
     * Sends {@code parallel} copies of a request at once: each thread waits on a latch until all are ready, then all
     * are released together.
     */
    static List<HttpResponse<String>> race(int parallel, Callable<HttpResponse<String>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            CountDownLatch ready = new CountDownLatch(parallel);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.call();
                }));
            }
            if (!ready.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("threads did not start");
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (var future : futures) {
                responses.add(future.get(30, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The envelopes published to the session topic for {@code sessionId} (its key), read from the start of the topic
     * with a throwaway consumer until one of type {@code type} arrives or {@code wait} passes.
     */
    protected List<Map<String, Object>> sessionEvents(String sessionId, String type, Duration wait) throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "flow-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Map<String, Object>> events = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.SESSION_SESSION.name()));
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (sessionId.equals(record.key())) {
                        events.add(JSONObjectUtils.parse(record.value()));
                    }
                }
                if (events.stream().anyMatch(e -> type.equals(e.get("type")))) {
                    break;
                }
            }
        }
        return events;
    }

    @SuppressWarnings("unchecked")
    protected Map<String, Object> revokedEvent(String sessionId) throws Exception {
        return sessionEvents(sessionId, "SessionRevoked", Duration.ofSeconds(20)).stream()
                .filter(e -> "SessionRevoked".equals(e.get("type"))).findFirst()
                .map(e -> (Map<String, Object>) e.get("payload"))
                .orElseThrow(() -> new AssertionError("no SessionRevoked for " + sessionId));
    }

    static String oauthError(HttpResponse<String> response) throws Exception {
        return (String) json(response).get("error");
    }
}
