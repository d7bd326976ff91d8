package dev.gatehouse.contract.token;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gatehouse.contract.token.TestTokens.AUDIENCE;
import static dev.gatehouse.contract.token.TestTokens.ISSUER;
import static dev.gatehouse.contract.token.TestTokens.KEY;
import static dev.gatehouse.contract.token.TestTokens.jwks;
import static dev.gatehouse.contract.token.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JWKS over real HTTP, from a server on 127.0.0.1. */
class HttpJwksSourceTest {
    private final AtomicInteger requests = new AtomicInteger();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve("/jwks.json", 200, "application/json", jwks(KEY).toString().getBytes(StandardCharsets.UTF_8), false);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        client.close();
    }

    @Test
    void aVerifierFetchesTheJwksOnceAndVerifiesWithIt() {
        TokenVerifier verifier = TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwksUri(uri("/jwks.json"))
                .clock(TestTokens.FROZEN).build();
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(token())).isInstanceOf(Principal.class);
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void aJwkSetMediaTypeWithParametersIsJson() throws IOException {
        serve("/typed", 200, "application/jwk-set+json; charset=utf-8", jwks(KEY).toString().getBytes(StandardCharsets.UTF_8), false);
        assertThat(source("/typed").fetch().getKeyByKeyId("k1")).isNotNull();
    }

    @Test
    void anythingButA200IsAFailure() {
        serve("/missing", 404, "application/json", "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8), false);
        serve("/broken", 500, "text/plain", "oops".getBytes(StandardCharsets.UTF_8), false);
        serve("/moved", 302, "text/plain", new byte[0], false);
        assertThatThrownBy(() -> source("/missing").fetch()).isInstanceOf(IOException.class).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> source("/broken").fetch()).isInstanceOf(IOException.class).hasMessageContaining("HTTP 500");
        assertThatThrownBy(() -> source("/moved").fetch()).isInstanceOf(IOException.class).hasMessageContaining("HTTP 302");
    }

    @Test
    void aBodyOver256KibIsRefusedWithOrWithoutContentLength() {
        byte[] huge = ("{\"keys\":[],\"padding\":\"" + "x".repeat(256 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        serve("/huge", 200, "application/json", huge, false);
        serve("/huge-chunked", 200, "application/json", huge, true);
        assertThatThrownBy(() -> source("/huge").fetch()).isInstanceOf(IOException.class).hasMessageContaining("larger than 262144");
        assertThatThrownBy(() -> source("/huge-chunked").fetch()).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than 262144");
    }

    @Test
    void aBodyJustUnderTheBoundIsAccepted() throws IOException {
        String keys = jwks(KEY).toString();
        String body = keys.substring(0, keys.length() - 1) + ",\"padding\":\"";
        body = body + "x".repeat(256 * 1024 - body.length() - 2) + "\"}";
        assertThat(body.length()).isEqualTo(256 * 1024);
        serve("/big", 200, "application/json", body.getBytes(StandardCharsets.UTF_8), true);
        assertThat(source("/big").fetch().getKeys()).hasSize(1);
    }

    @Test
    void aBodyThatIsNotJsonOrNotAJwkSetIsRefused() {
        serve("/html", 200, "text/html", "<html>{\"keys\":[]}</html>".getBytes(StandardCharsets.UTF_8), false);
        serve("/garbage", 200, "application/json", "{\"keys\":".getBytes(StandardCharsets.UTF_8), false);
        serve("/not-a-set", 200, "application/json", "{\"kty\":\"RSA\"}".getBytes(StandardCharsets.UTF_8), false);
        assertThatThrownBy(() -> source("/html").fetch()).isInstanceOf(IOException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> source("/garbage").fetch()).isInstanceOf(IOException.class).hasMessageContaining("not a JWK Set");
        assertThatThrownBy(() -> source("/not-a-set").fetch()).isInstanceOf(IOException.class).hasMessageContaining("not a JWK Set");
    }

    @Test
    void aServerThatNeverFinishesTheBodyTimesOut() {
        var release = new CountDownLatch(1);
        server.createContext("/slow", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"keys\":[".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        var source = JwksSource.http(uri("/slow"), Duration.ofMillis(300), client);
        try {
            assertThatThrownBy(source::fetch).isInstanceOf(HttpTimeoutException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFailingEndpointLeavesTheVerifierWithoutKeysButNeverThrows() {
        serve("/down", 503, "text/plain", new byte[0], false);
        TokenVerifier verifier = TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwksUri(uri("/down"))
                .clock(TestTokens.FROZEN).build();
        assertThat(verifier.verify(token())).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(verifier.verify(token())).isEqualTo(new TokenInvalid("no key for kid"));
        assertThat(requests).hasValue(1);
    }

    private JwksSource source(String path) {
        return JwksSource.http(uri(path), Duration.ofSeconds(5), client);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void serve(String path, int status, String contentType, byte[] body, boolean chunked) {
        server.createContext(path, exchange -> respond(exchange, status, contentType, body, chunked));
    }

    private void respond(HttpExchange exchange, int status, String contentType, byte[] body, boolean chunked)
            throws IOException {
        requests.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", contentType);
        if (status == 302) {
            exchange.getResponseHeaders().add("Location", "/jwks.json");
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : chunked ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the client hung up on a body it refused
        }
        exchange.close();
    }
}
