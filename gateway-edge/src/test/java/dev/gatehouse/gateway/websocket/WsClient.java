package dev.gatehouse.gateway.websocket;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real WebSocket client (java.net.http) that collects whole messages and the close it receives. */
final class WsClient implements WebSocket.Listener {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A close frame received from the gateway. */
    record Closed(int code, String reason) {
    }

    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    WebSocket socket;

    /** Opens {@code uri} with these headers and subprotocols, or throws the handshake's HTTP response. */
    static WsClient open(URI uri, Map<String, String> headers, String... subprotocols) throws Exception {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            client.socket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse());
            }
            throw e;
        }
        return client;
    }

    /** The gateway answered the upgrade with something else than 101. */
    static final class Refused extends Exception {
        final HttpResponse<?> response;

        Refused(HttpResponse<?> response) {
            super("refused with " + response.statusCode(), null, false, false);
            this.response = response;
        }

        int status() {
            return response.statusCode();
        }

        String body() {
            Object body = response.body();
            return body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(body);
        }
    }

    /** Opens and expects a refusal; fails if the upgrade succeeds. */
    static Refused refused(URI uri, Map<String, String> headers, String... subprotocols) throws Exception {
        try {
            WsClient client = open(uri, headers, subprotocols);
            client.socket.abort();
        } catch (Refused refused) {
            return refused;
        }
        throw new AssertionError("the upgrade was accepted");
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout}. */
    static void eventually(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    String sendText(String message) throws Exception {
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
        return (String) next();
    }

    byte[] sendBinary(byte[] message) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(message), true).get(10, TimeUnit.SECONDS);
        return (byte[]) next();
    }

    Object next() throws InterruptedException, TimeoutException {
        Object message = messages.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new TimeoutException("no message within 10 s" + (closed.isDone() ? ", closed: " + closed.join() : ""));
        }
        return message;
    }

    Closed awaitClose(Duration timeout) throws Exception {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (CompletionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletableFuture<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletableFuture<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            messages.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletableFuture<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
