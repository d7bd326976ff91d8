package dev.gatehouse.gateway.websocket;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSockets through the gateway on public routes to a real echo upstream: frames both ways, fragments of large
 * messages, subprotocols, headers, close propagation and upstream failures.
 */
@MicronautTest(environments = "ws-relay")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketRelayTest implements TestPropertyProvider {
    private EchoUpstream echo;
    private ServerSocket silent;
    private final List<Socket> silentConnections = new CopyOnWriteArrayList<>();
    private int downPort;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            echo = new EchoUpstream();
            silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        silentConnections.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                downPort = probe.getLocalPort();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = new HashMap<>();
        p.put("gatehouse.gateway.upstreams.identity", "http://127.0.0.1:9");
        p.put("gatehouse.gateway.upstreams.session", "http://127.0.0.1:9");
        p.put("gatehouse.gateway.upstreams.tenant", "http://127.0.0.1:9");
        p.put("ws.echo", echo.uri().toString());
        p.put("ws.down", "http://127.0.0.1:" + downPort);
        p.put("ws.silent", "http://127.0.0.1:" + silent.getLocalPort());
        return p;
    }

    @BeforeEach
    void reset() {
        echo.reset();
    }

    @AfterAll
    void stop() throws IOException {
        echo.close();
        silent.close();
        for (Socket s : silentConnections) {
            s.close();
        }
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + server.getPort() + path);
    }

    @Test
    void textAndBinaryFramesGoBothWays() throws Exception {
        WsClient client = WsClient.open(ws("/ws/public/echo?room=1"), Map.of());
        assertThat(client.sendText("hello upstream")).isEqualTo("hello upstream");
        assertThat(client.sendBinary(new byte[]{0, 1, 2, (byte) 0xff})).containsExactly(0, 1, 2, 0xff);
        assertThat(echo.lastHandshake().uri()).isEqualTo("/ws/public/echo?room=1");
        client.socket.sendClose(1000, "bye").get();
        assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        WsClient.eventually(Duration.ofSeconds(5), () -> echo.closeFrames() == 1 && echo.open().isEmpty());
    }

    @Test
    void largeMessagesArriveWhole() throws Exception {
        WsClient client = WsClient.open(ws("/ws/public/echo"), Map.of());
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(big);
        assertThat(client.sendBinary(big)).isEqualTo(big);
        String text = "ä".repeat(600_000);
        assertThat(client.sendText(text)).isEqualTo(text);
        // many messages in a burst: nothing lost or reordered while either side's buffers fill
        for (int i = 0; i < 200; i++) {
            client.socket.sendBinary(java.nio.ByteBuffer.wrap(big, i * 1000, 64 * 1024), true).get();
        }
        for (int i = 0; i < 200; i++) {
            assertThat((byte[]) client.next()).isEqualTo(java.util.Arrays.copyOfRange(big, i * 1000, i * 1000 + 64 * 1024));
        }
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void aMessageTheUpstreamSendsRightAfterTheHandshakeArrives() throws Exception {
        WsClient client = WsClient.open(ws("/ws/public/greet"), Map.of());
        assertThat(client.next()).isEqualTo("hello");
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void theUpstreamsChoiceOfSubprotocolIsAnswered() throws Exception {
        WsClient client = WsClient.open(ws("/ws/public/echo"), Map.of(), "other", EchoUpstream.APP_PROTOCOL);
        assertThat(client.socket.getSubprotocol()).isEqualTo(EchoUpstream.APP_PROTOCOL);
        assertThat(echo.lastHandshake().headers().get("Sec-WebSocket-Protocol"))
                .isEqualTo("other," + EchoUpstream.APP_PROTOCOL);
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void clientSentIdentityHeadersNeverReachTheUpstream() throws Exception {
        WsClient client = WsClient.open(ws("/ws/public/echo"), Map.of(
                "X-Gatehouse-User", "admin", "X-Gatehouse-Org", "org_victim", "X-Gatehouse-Permissions", "*",
                "X-Custom", "kept"));
        client.sendText("x");
        var headers = echo.lastHandshake().headers();
        assertThat(headers.names()).noneMatch(n -> n.toLowerCase().startsWith("x-gatehouse-"));
        assertThat(headers.get("X-Custom")).isEqualTo("kept");
        assertThat(headers.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(headers.get("X-Request-Id")).isNotBlank();
        client.socket.sendClose(1000, "").get();
    }

    @Test
    void theUpstreamClosingClosesTheClient() throws Exception {
        WsClient client = WsClient.open(ws("/ws/public/echo"), Map.of());
        client.sendText("x");
        echo.open().getLast().writeAndFlush(
                new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(4000, "upstream done"));
        WsClient.Closed closed = client.awaitClose(Duration.ofSeconds(5));
        assertThat(closed.code()).isEqualTo(4000);
        assertThat(closed.reason()).isEqualTo("upstream done");
    }

    @Test
    void theUpstreamDroppingTheConnectionClosesTheClientWith1001() throws Exception {
        WsClient client = WsClient.open(ws("/ws/public/echo"), Map.of());
        client.sendText("x");
        echo.open().getLast().close();
        assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1001);
    }

    @Test
    void anUpstreamThatIsDownIs502() throws Exception {
        WsClient.Refused refused = WsClient.refused(ws("/ws/down/x"), Map.of());
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anUpstreamThatRefusesTheUpgradeIs502() throws Exception {
        assertThat(WsClient.refused(ws("/ws/refuse"), Map.of()).status()).isEqualTo(502);
    }

    @Test
    void anUpstreamThatNeverAnswersTheHandshakeIs504() throws Exception {
        long started = System.nanoTime();
        assertThat(WsClient.refused(ws("/ws/silent"), Map.of()).status()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }
}
