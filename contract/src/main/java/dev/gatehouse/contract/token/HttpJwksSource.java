package dev.gatehouse.contract.token;

import com.nimbusds.jose.jwk.JWKSet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link JwksSource#http}: GET, 200 only, a JSON body of bounded size, one deadline for the whole exchange. */
final class HttpJwksSource implements JwksSource {
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;

    HttpJwksSource(URI uri, Duration timeout, HttpClient client) {
        this.uri = requireHttpUrl(uri);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = Objects.requireNonNull(client, "client");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("httpTimeout must be positive");
        }
    }

    static URI requireHttpUrl(URI uri) {
        Objects.requireNonNull(uri, "jwksUri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException("jwksUri must be an absolute http(s) URL: " + uri);
        }
        return uri;
    }

    @Override
    public JWKSet fetch() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                .header("Accept", "application/jwk-set+json, application/json").build();
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, this::bodyOf);
        byte[] body;
        try {
            body = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS).body();
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("JWKS " + uri + " did not answer within " + timeout);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching JWKS " + uri);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("JWKS " + uri + ": " + cause, cause);
        }
        try {
            return JWKSet.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IOException("JWKS " + uri + " is not a JWK Set: " + e.getMessage(), e);
        }
    }

    private HttpResponse.BodySubscriber<byte[]> bodyOf(HttpResponse.ResponseInfo info) {
        if (info.statusCode() != 200) {
            return new BoundedBody("JWKS " + uri + " answered HTTP " + info.statusCode());
        }
        String type = info.headers().firstValue("Content-Type").orElse(null);
        if (type != null && !isJson(type)) {
            return new BoundedBody("JWKS " + uri + " answered Content-Type " + type.strip() + ", not JSON");
        }
        long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length > MAX_BODY_BYTES) {
            return new BoundedBody("JWKS " + uri + " is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return new BoundedBody(null);
    }

    private static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.equals("application/jwk-set+json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    /** Collects at most {@link #MAX_BODY_BYTES}, cancelling the stream past that; or refuses the body outright. */
    private final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final String refusal;
        private Flow.Subscription subscription;

        BoundedBody(String refusal) {
            this.refusal = refusal;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (refusal != null) {
                subscription.cancel();
                result.completeExceptionally(new IOException(refusal));
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > MAX_BODY_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(
                            new IOException("JWKS " + uri + " is larger than " + MAX_BODY_BYTES + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error instanceof IOException ? error : new IOException(error));
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
