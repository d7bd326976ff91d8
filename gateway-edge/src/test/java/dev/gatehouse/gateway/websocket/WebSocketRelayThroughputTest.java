package dev.gatehouse.gateway.websocket;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Echo round trips of 1 KiB binary messages, 64 in flight, straight to the echo upstream and through the gateway.
 * A measurement, not a check: {@code -Dgatehouse.bench=true}.
 */
@MicronautTest(environments = "ws-relay")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class WebSocketRelayThroughputTest implements TestPropertyProvider {
    private static final int MESSAGES = 50_000;
    private static final int IN_FLIGHT = 64;
    private EchoUpstream echo;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            echo = new EchoUpstream();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = new HashMap<>();
        p.put("gatehouse.gateway.upstreams.identity", "http://127.0.0.1:9");
        p.put("gatehouse.gateway.upstreams.session", "http://127.0.0.1:9");
        p.put("gatehouse.gateway.upstreams.tenant", "http://127.0.0.1:9");
        p.put("ws.echo", echo.uri().toString());
        p.put("ws.down", "http://127.0.0.1:9");
        p.put("ws.silent", "http://127.0.0.1:9");
        return p;
    }

    @AfterAll
    void stop() {
        echo.close();
    }

    @Test
    void measure() throws Exception {
        URI direct = URI.create(echo.uri().toString().replace("http", "ws") + "/ws/public/bench");
        URI gateway = URI.create("ws://127.0.0.1:" + server.getPort() + "/ws/public/bench");
        run(direct, 5_000);
        run(gateway, 5_000);
        double d = run(direct, MESSAGES);
        double g = run(gateway, MESSAGES);
        System.out.printf("WS-BENCH 1 KiB echo round trips, %d in flight: direct %.0f/s, through gateway-edge %.0f/s"
                + " (%.0f%%)%n", IN_FLIGHT, d, g, 100 * g / d);
    }

    private static double run(URI uri, int messages) throws Exception {
        WsClient client = WsClient.open(uri, Map.of());
        byte[] payload = new byte[1024];
        long started = System.nanoTime();
        int sent = 0;
        for (; sent < Math.min(IN_FLIGHT, messages); sent++) {
            client.socket.sendBinary(ByteBuffer.wrap(payload), true).get();
        }
        for (int received = 0; received < messages; received++) {
            assertThat((byte[]) client.next()).hasSize(1024);
            if (sent < messages) {
                client.socket.sendBinary(ByteBuffer.wrap(payload), true).get();
                sent++;
            }
        }
        double rate = messages / ((System.nanoTime() - started) / 1e9);
        client.socket.sendClose(1000, "").get();
        return rate;
    }
}
