package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.revocation.Revocations;
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
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket upgrades authenticated by the gateway's real authenticators: the sealed session cookie (with the Origin
 * allowlist) and the seed 000 token in {@code Sec-WebSocket-Protocol}; authorization per route; credentials that
 * expire or are revoked while the connection is open.
 */
@MicronautTest(environments = "ws-auth")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketAuthTest implements TestPropertyProvider {
    private static final String APP = "https://app.example.com";
    private static final List<String> CHAT = List.of("chat.use");

    private EchoUpstream echo;
    private TestIssuer issuer;

    @Inject
    EmbeddedServer server;
    @Inject
    Revocations revocations;
    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        try {
            echo = new EchoUpstream();
            issuer = new TestIssuer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = new HashMap<>();
        p.put("gatehouse.gateway.upstreams.identity", "http://127.0.0.1:9");
        p.put("gatehouse.gateway.upstreams.session", "http://127.0.0.1:9");
        p.put("gatehouse.gateway.upstreams.tenant", "http://127.0.0.1:9");
        p.put("ws.echo", echo.uri().toString());
        p.put("gatehouse.gateway.auth.issuer", issuer.issuer());
        p.put("gatehouse.gateway.auth.jwks-uri", issuer.jwksUri());
        p.put("gatehouse.gateway.auth.cookie-key", issuer.cookieKey());
        p.put("gatehouse.gateway.auth.cookie-secure", "false");
        return p;
    }

    @BeforeEach
    void reset() {
        echo.reset();
    }

    @AfterAll
    void stop() throws Exception {
        echo.close();
        issuer.close();
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + server.getPort() + path);
    }

    private String cookieOf(String user, String sid, List<String> permissions) {
        return "wos_session=" + issuer.cookie(sid, issuer.token(user, sid, permissions, Duration.ofMinutes(5)));
    }

    // --- the session cookie ---

    @Test
    void theSessionCookieFromAnAllowedOriginOpensAndTheUpstreamLearnsWhoItIs() throws Exception {
        WsClient client = WsClient.open(ws("/ws/chat/room"), Map.of("Origin", APP,
                "Cookie", cookieOf("user_cookie", "sid_cookie", CHAT), "X-Gatehouse-User", "user_admin",
                "X-Gatehouse-Org", "org_victim"));
        assertThat(client.sendText("hi")).isEqualTo("hi");
        assertThat(client.socket.getSubprotocol()).isEmpty();
        var headers = echo.lastHandshake().headers();
        assertThat(headers.getAll("X-Gatehouse-User")).containsExactly("user_cookie");
        assertThat(headers.getAll("X-Gatehouse-Org")).containsExactly("org_chat");
        assertThat(headers.get("X-Gatehouse-Session")).isEqualTo("sid_cookie");
        assertThat(headers.get("X-Gatehouse-Permissions")).isEqualTo("chat.use");
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void theSessionCookieFromAnotherOriginIsRefused() throws Exception {
        WsClient.Refused refused = WsClient.refused(ws("/ws/chat/room"), Map.of("Origin", "https://evil.example",
                "Cookie", cookieOf("user_cookie", "sid_cookie", CHAT)));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(echo.handshakes()).isEmpty();
    }

    @Test
    void theSessionCookieWithoutAnOriginIsRefused() throws Exception {
        assertThat(WsClient.refused(ws("/ws/chat/room"), Map.of(
                "Cookie", cookieOf("user_cookie", "sid_cookie", CHAT))).status()).isEqualTo(403);
        assertThat(echo.handshakes()).isEmpty();
    }

    @Test
    void aCookieThatDoesNotOpenIs401AndCleared() throws Exception {
        WsClient.Refused refused = WsClient.refused(ws("/ws/chat/room"), Map.of("Origin", APP,
                "Cookie", "wos_session=not-a-sealed-cookie"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer error=\"invalid_token\"");
        assertThat(refused.response.headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith("wos_session=;") && c.contains("Max-Age=0"));
    }

    // --- the token in Sec-WebSocket-Protocol (seed 000: ['Bearer', token]) ---

    @Test
    void theTokenInTheSubprotocolOpensAndIsNeverEchoed() throws Exception {
        String token = issuer.token("user_mobile", "sid_mobile", CHAT, Duration.ofMinutes(5));
        WsClient client = WsClient.open(ws("/ws/chat/room"), Map.of(), "Bearer", token);
        assertThat(client.socket.getSubprotocol()).isEqualTo("Bearer");
        assertThat(client.sendText("from mobile")).isEqualTo("from mobile");
        var headers = echo.lastHandshake().headers();
        assertThat(headers.get("X-Gatehouse-User")).isEqualTo("user_mobile");
        assertThat(headers.contains("Sec-WebSocket-Protocol")).isFalse();
        assertThat(headers.toString()).doesNotContain(token);
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void anApplicationSubprotocolNextToTheTokenIsTheOneAnswered() throws Exception {
        String token = issuer.token("user_mobile", "sid_mobile", CHAT, Duration.ofMinutes(5));
        WsClient client = WsClient.open(ws("/ws/chat/room"), Map.of("Origin", "https://evil.example"),
                EchoUpstream.APP_PROTOCOL, "Bearer", token);
        assertThat(client.socket.getSubprotocol()).isEqualTo(EchoUpstream.APP_PROTOCOL);
        assertThat(echo.lastHandshake().headers().get("Sec-WebSocket-Protocol")).isEqualTo(EchoUpstream.APP_PROTOCOL);
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void theSealedSessionInTheSubprotocolOpensToo() throws Exception {
        String sealed = issuer.cookie("sid_sealed", issuer.token("user_sealed", "sid_sealed", CHAT,
                Duration.ofMinutes(5)));
        WsClient client = WsClient.open(ws("/ws/chat/room"), Map.of(), "Bearer", sealed);
        assertThat(client.socket.getSubprotocol()).isEqualTo("Bearer");
        assertThat(echo.lastHandshake().headers().get("X-Gatehouse-User")).isEqualTo("user_sealed");
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void noCredentialIs401() throws Exception {
        WsClient.Refused refused = WsClient.refused(ws("/ws/chat/room"), Map.of("Origin", APP));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        Map<?, ?> problem = json.readValue(refused.body(), Map.class);
        assertThat(problem.get("type")).isEqualTo("urn:gatehouse:problem:unauthorized");
        assertThat(problem.get("status")).isEqualTo(401);
    }

    @Test
    void badTokensAre401() throws Exception {
        List<String> tokens = List.of(
                issuer.token("user_late", "sid_late", CHAT, Duration.ofMinutes(-5)),   // expired
                issuer.forged("user_forged", "sid_forged"),                              // unknown key
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln",                             // garbage JWS
                "not-a-token");                                                          // not a sealed session
        for (String token : tokens) {
            WsClient.Refused refused = WsClient.refused(ws("/ws/chat/room"), Map.of(), "Bearer", token);
            assertThat(refused.status()).as(token).isEqualTo(401);
            assertThat(refused.response.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer error=\"invalid_token\"");
            assertThat(refused.response.headers().firstValue("Sec-WebSocket-Protocol")).isEmpty();
        }
        assertThat(echo.handshakes()).isEmpty();
    }

    @Test
    void theBearerMarkerWithoutATokenIs401() throws Exception {
        assertThat(WsClient.refused(ws("/ws/chat/room"), Map.of(), "Bearer").status()).isEqualTo(401);
    }

    @Test
    void aTokenOfAKindTheRouteDoesNotAcceptIs401() throws Exception {
        String token = issuer.token("user_mobile", "sid_mobile", CHAT, Duration.ofMinutes(5));
        assertThat(WsClient.refused(ws("/ws/cookie-only/x"), Map.of(), "Bearer", token).status()).isEqualTo(401);
    }

    @Test
    void aMissingPermissionIs403() throws Exception {
        String token = issuer.token("user_mobile", "sid_mobile", CHAT, Duration.ofMinutes(5));
        WsClient.Refused refused = WsClient.refused(ws("/ws/admin/x"), Map.of(), "Bearer", token);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("chat.admin");
        assertThat(echo.handshakes()).isEmpty();
    }

    @Test
    void aRouteWithSeed001ErrorsAnswersInItsShape() throws Exception {
        WsClient.Refused refused = WsClient.refused(ws("/ws/legacy/x"), Map.of());
        assertThat(refused.status()).isEqualTo(401);
        Map<?, ?> body = json.readValue(refused.body(), Map.class);
        assertThat(body.get("success")).isEqualTo(false);
        assertThat(body.get("error")).isEqualTo("Authentication is required");
    }

    // --- while open ---

    @Test
    void theConnectionClosesWith1008WhenTheCredentialExpires() throws Exception {
        String token = issuer.token("user_brief", "sid_brief", CHAT, Duration.ofSeconds(2));
        WsClient client = WsClient.open(ws("/ws/chat/room"), Map.of(), "Bearer", token);
        assertThat(client.sendText("still valid")).isEqualTo("still valid");
        long opened = System.nanoTime();
        WsClient.Closed closed = client.awaitClose(Duration.ofSeconds(6));
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).isEqualTo("credential expired");
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(4));
        WsClient.eventually(Duration.ofSeconds(5), () -> echo.open().isEmpty());
    }

    @Test
    void theConnectionClosesWith1008SoonAfterTheSessionIsRevoked() throws Exception {
        WsClient client = WsClient.open(ws("/ws/chat/room"), Map.of("Origin", APP,
                "Cookie", cookieOf("user_revoked", "sid_revoked", CHAT)));
        assertThat(client.sendText("before")).isEqualTo("before");
        long revokedAt = System.nanoTime();
        revocations.revokeSession("sid_revoked", Instant.now().plusSeconds(600));
        WsClient.Closed closed = client.awaitClose(Duration.ofSeconds(5));
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).isEqualTo("credential revoked");
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(2));
        // and the same cookie cannot open a new one
        assertThat(WsClient.refused(ws("/ws/chat/room"), Map.of("Origin", APP,
                "Cookie", cookieOf("user_revoked", "sid_revoked", CHAT))).status()).isEqualTo(401);
    }
}
