package dev.gatehouse.identity.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.devstack.Repo;
import dev.gatehouse.devstack.TestServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * identity-service against the REAL rest of the platform, for end-to-end tests: session-service and tenant-service
 * (each in a class loader of its own inside this JVM, started once per JVM and shared) on real PostgreSQL, Redis and
 * Kafka from devstack's {@link TestServers}, plus an identity-service application context per {@link #start} (so a
 * test class can choose identity's configuration and environments, e.g. without {@code dev}).
 *
 * <p>The shared platform's bootstrap document registers: {@value #IDENTITY_CLIENT} (identity-service's service
 * client), {@value #ADMIN_CLIENT} (platform-admin automation, for test setup through the admin APIs),
 * {@value #WEB_CLIENT} (seed 004's browser sessions) and {@value #GATEWAY_ADMIN_CLIENT} (seed 001). Register more
 * with {@link #registerClient}. Usage:
 * <pre>
 * static IdentityStack stack;
 * &#64;BeforeAll static void up() { stack = IdentityStack.start(Map.of("gatehouse.identity.x", "y")); }
 * &#64;AfterAll static void down() { stack.close(); }
 * var reply = stack.http().postJson("/auth/sign-in", Map.of("email", "a@example.com"));
 * </pre>
 */
public final class IdentityStack implements AutoCloseable {
    public static final String IDENTITY_CLIENT = "gatehouse-identity";
    public static final String ADMIN_CLIENT = "stack-admin";
    public static final String WEB_CLIENT = "gatehouse-web";
    public static final String GATEWAY_ADMIN_CLIENT = "ai-security-gateway";
    /** The bootstrap admin of every identity-service this harness starts. */
    public static final String BOOTSTRAP_ADMIN = "admin";
    public static final String BOOTSTRAP_ADMIN_PASSWORD = "stack-admin-password-" + UUID.randomUUID();

    private static Platform platform;

    private final Platform shared;
    private final ApplicationContext identity;
    private final StackHttp http;

    /** session-service and tenant-service, shared by every stack of this JVM. */
    public static final class Platform {
        private final ServiceInstance session;
        private final ServiceInstance tenant;
        private final String identityClientSecret;
        private final String adminClientSecret;
        private final Path work;
        private final StackHttp sessionHttp;
        private final StackHttp tenantHttp;
        private volatile String adminToken;

        private Platform(ServiceInstance session, ServiceInstance tenant, String identityClientSecret,
                         String adminClientSecret, Path work) {
            this.session = session;
            this.tenant = tenant;
            this.identityClientSecret = identityClientSecret;
            this.adminClientSecret = adminClientSecret;
            this.work = work;
            this.sessionHttp = new StackHttp(session.url());
            this.tenantHttp = new StackHttp(tenant.url());
        }

        public String sessionUrl() {
            return session.url();
        }

        public String tenantUrl() {
            return tenant.url();
        }

        public String identityClientSecret() {
            return identityClientSecret;
        }

        /** A platform-admin token (client_credentials of {@value #ADMIN_CLIENT}). */
        public synchronized String adminToken() {
            if (adminToken == null) {
                adminToken = clientCredentials(ADMIN_CLIENT, adminClientSecret, null);
            }
            return adminToken;
        }

        /** A client_credentials access token. */
        public String clientCredentials(String clientId, String secret, String scope) {
            String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
            var reply = sessionHttp.request("POST", "/oauth2/token", "grant_type=client_credentials"
                            + (scope == null ? "" : "&scope=" + java.net.URLEncoder.encode(scope,
                            java.nio.charset.StandardCharsets.UTF_8)),
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + basic));
            if (reply.status() != 200) {
                throw new IllegalStateException("client_credentials for " + clientId + ": " + reply);
            }
            return reply.json().path("access_token").asText();
        }

        /** HTTP straight to session-service. */
        public StackHttp session() {
            return sessionHttp;
        }

        /** HTTP straight to tenant-service. */
        public StackHttp tenant() {
            return tenantHttp;
        }

        /** Registers an OAuth client through session-service's admin API ({@code POST /api/v1/clients}). */
        public JsonNode registerClient(Map<String, Object> spec) {
            var reply = sessionHttp.postJson("/api/v1/clients", spec, "Bearer " + adminToken());
            if (reply.status() != 201 && reply.status() != 200) {
                throw new IllegalStateException("register client: " + reply);
            }
            return reply.json();
        }

        /** Creates an organization; returns its id. */
        public String createOrganization(String slug, String displayName) {
            var reply = tenantHttp.postJson("/api/v1/organizations",
                    Map.of("slug", slug, "displayName", displayName), "Bearer " + adminToken());
            if (reply.status() != 201) {
                throw new IllegalStateException("create organization: " + reply);
            }
            return reply.json().path("id").asText();
        }

        /** Adds a member (or sets their roles: {@code viewer}, {@code operator}, {@code admin}). */
        public void putMember(String organizationId, String userId, String... roles) {
            var reply = tenantHttp.request("PUT", "/api/v1/organizations/" + organizationId + "/members/" + userId,
                    StackHttp.JSON.valueToTree(Map.of("roles", List.of(roles))).toString(),
                    Map.of("Content-Type", "application/json", "Authorization", "Bearer " + adminToken()));
            if (reply.status() != 201 && reply.status() != 200) {
                throw new IllegalStateException("put member: " + reply);
            }
        }

        /** Removes a member. */
        public void removeMember(String organizationId, String userId) {
            var reply = tenantHttp.request("DELETE", "/api/v1/organizations/" + organizationId + "/members/"
                    + userId, null, Map.of("Authorization", "Bearer " + adminToken()));
            if (reply.status() != 204 && reply.status() != 404) {
                throw new IllegalStateException("remove member: " + reply);
            }
        }

        /** A unique slug for test organizations. */
        public static String uniqueSlug(String prefix) {
            return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        }

        private void close() {
            tenant.close();
            session.close();
            dev.gatehouse.devstack.FileUtil.deleteQuietly(work);
        }
    }

    /** The shared session-service and tenant-service (started on first call). */
    public static synchronized Platform platform() {
        if (platform == null) {
            platform = startPlatform();
            Platform started = platform;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "identity-stack-stop"));
        }
        return platform;
    }

    private static Platform startPlatform() {
        try {
            Path work = Files.createTempDirectory("identity-stack");
            String identitySecret = secret();
            String adminSecret = secret();
            String gatewaySecret = secret();
            Path identitySecretFile = writeSecret(work.resolve("identity.secret"), identitySecret);
            Path adminSecretFile = writeSecret(work.resolve("admin.secret"), adminSecret);
            Path gatewaySecretFile = writeSecret(work.resolve("gateway.secret"), gatewaySecret);
            Path bootstrap = work.resolve("bootstrap.yml");
            Files.writeString(bootstrap, """
                    version: 1
                    clients:
                      - clientId: %s
                        type: confidential
                        displayName: Gatehouse identity-service
                        secretFile: %s
                        grantTypes: [client_credentials]
                        scopes: ["gatehouse:internal"]
                        audiences: [gatehouse]
                      - clientId: %s
                        type: confidential
                        displayName: Identity stack admin
                        secretFile: %s
                        grantTypes: [client_credentials]
                        audiences: [gatehouse]
                        platformAdmin: true
                      - clientId: %s
                        type: public
                        displayName: Gatehouse web
                        grantTypes: [authorization_code]
                        redirectUris: ["http://127.0.0.1/callback"]
                        scopes: [openid, profile, email]
                      - clientId: %s
                        type: confidential
                        displayName: AI Security Gateway
                        secretFile: %s
                        grantTypes: [client_credentials]
                        scopes: [openid, profile, email]
                        audiences: [ai-security-gateway]
                    """.formatted(IDENTITY_CLIENT, identitySecretFile, ADMIN_CLIENT, adminSecretFile, WEB_CLIENT,
                    GATEWAY_ADMIN_CLIENT, gatewaySecretFile));
            TestServers servers = TestServers.get();
            int sessionPort = freePort();
            int tenantPort = freePort();
            Path repo = Repo.root();
            Map<String, Object> sessionProps = new LinkedHashMap<>(servers.micronautProperties("session-service"));
            sessionProps.put("gatehouse.bootstrap.file", bootstrap.toString());
            sessionProps.put("gatehouse.session.tenant-url", "http://127.0.0.1:" + tenantPort);
            Map<String, Object> tenantProps = new LinkedHashMap<>(servers.micronautProperties("tenant-service"));
            tenantProps.put("gatehouse.bootstrap.file", bootstrap.toString());
            tenantProps.put("gatehouse.tenant.auth.jwks-uri", "http://127.0.0.1:" + sessionPort
                    + "/.well-known/jwks.json");
            var session = CompletableFuture.supplyAsync(() ->
                    ServiceInstance.start(repo, "session-service", sessionPort, sessionProps));
            var tenant = CompletableFuture.supplyAsync(() ->
                    ServiceInstance.start(repo, "tenant-service", tenantPort, tenantProps));
            return new Platform(session.join(), tenant.join(), identitySecret, adminSecret, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IdentityStack(Platform shared, ApplicationContext identity) {
        this.shared = shared;
        this.identity = identity;
        this.http = new StackHttp("http://127.0.0.1:" + identity.getBean(EmbeddedServer.class).getPort());
    }

    /** identity-service in the {@code test} environment with {@code properties} on top of the stack's. */
    public static IdentityStack start(Map<String, Object> properties) {
        return start(properties, "test");
    }

    /**
     * identity-service in {@code environments} (e.g. {@code "test", "dev"}) with {@code properties} on top of the
     * stack's (its own fresh database; the shared Redis and Kafka; session- and tenant-service of {@link #platform}).
     */
    public static IdentityStack start(Map<String, Object> properties, String... environments) {
        Platform shared = platform();
        Map<String, Object> props = new HashMap<>(TestServers.get().micronautProperties("identity-service"));
        props.put("micronaut.server.port", -1);
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("gatehouse.identity.platform.session-url", shared.sessionUrl());
        props.put("gatehouse.identity.platform.tenant-url", shared.tenantUrl());
        props.put("gatehouse.identity.platform.client-id", IDENTITY_CLIENT);
        props.put("gatehouse.identity.platform.client-secret", shared.identityClientSecret());
        props.put("gatehouse.bootstrap.admin.username", BOOTSTRAP_ADMIN);
        props.put("gatehouse.bootstrap.admin.password", BOOTSTRAP_ADMIN_PASSWORD);
        props.putAll(properties);
        ApplicationContext context = ApplicationContext.builder().properties(props).environments(environments)
                .deduceEnvironment(false).start();
        try {
            context.getBean(EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return new IdentityStack(shared, context);
    }

    /** HTTP to this identity-service (as a browser or client would, through no gateway). */
    public StackHttp http() {
        return http;
    }

    /** A fresh HTTP helper with its own cookie jar. */
    public StackHttp newBrowser() {
        return new StackHttp(http.baseUrl());
    }

    public String identityUrl() {
        return http.baseUrl();
    }

    public ApplicationContext identity() {
        return identity;
    }

    public <T> T bean(Class<T> type) {
        return identity.getBean(type);
    }

    public Platform platformServices() {
        return shared;
    }

    /** Events identity-service published, read from Kafka. */
    public EventProbe events() {
        return new EventProbe(TestServers.get().kafkaBootstrap());
    }

    @Override
    public void close() {
        identity.close();
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Path writeSecret(Path file, String secret) throws IOException {
        Files.writeString(file, secret);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
