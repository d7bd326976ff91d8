package dev.gatehouse.gateway.proxy;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers to talk to the gateway over real HTTP (and raw sockets, for headers java.net.http refuses to send). */
final class GatewayClient {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private GatewayClient() {
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> fetch(URI base, String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and returns what arrives
     * until the server closes the connection or stays silent for two seconds.
     */
    static String raw(int port, String head) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            var received = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException silent) {
                // keep-alive connection: the response is complete
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the response is the gateway's own problem+json of the given type and returns its fields. */
    static Map<String, Object> assertProblem(JsonMapper json, HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        try {
            Map<String, Object> problem = json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
            assertThat(problem).containsEntry("type", "urn:gatehouse:problem:" + type)
                    .containsEntry("status", status)
                    .containsKey("requestId");
            return problem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
