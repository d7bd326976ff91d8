package dev.gatehouse.identity.platform;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * JSON over HTTP to session-service and tenant-service with identity-service's service token. Answers are returned
 * with their status; transport failures become {@link PlatformUnavailableException}. Never logs bodies (they carry
 * tokens and cookies).
 */
@Singleton
public class PlatformHttp {
    static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);
    private final HttpClient http;
    private final JsonMapper json;
    private final ServiceToken token;
    private final Duration timeout;

    public PlatformHttp(JsonMapper json, ServiceToken token, PlatformConfig config) {
        this.json = json;
        this.token = token;
        this.timeout = Duration.ofMillis(config.timeoutMillis());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** An answer: status and body (null when empty). */
    public record Answer(int status, @Nullable String body, boolean bearerChallenge) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Answer send(String method, URI uri, @Nullable Object body) {
        Answer answer = sendOnce(method, uri, body, token.get());
        if (answer.status() == 401 && answer.bearerChallenge()) {
            // the cached token was revoked or the keys rotated: one retry with a fresh one
            token.invalidate();
            answer = sendOnce(method, uri, body, token.get());
        }
        return answer;
    }

    /** A request with another bearer (a user's token) or none; no retry. */
    public Answer sendAs(String method, URI uri, @Nullable Object body, @Nullable String bearer) {
        return sendOnce(method, uri, body, bearer);
    }

    private Answer sendOnce(String method, URI uri, @Nullable Object body, @Nullable String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text == null || text.isEmpty() ? null : text,
                    response.headers().firstValue("WWW-Authenticate").isPresent());
        } catch (IOException e) {
            throw new PlatformUnavailableException(uri.getHost() + ":" + uri.getPort() + " unreachable: "
                    + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformUnavailableException("interrupted", e);
        }
    }

    public String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

    public <T> T read(Answer answer, Class<T> type) {
        return read(answer, Argument.of(type));
    }

    public <T> T read(Answer answer, Argument<T> type) {
        if (answer.body() == null) {
            throw new PlatformUnavailableException("empty answer (status " + answer.status() + ")");
        }
        try {
            return json.readValue(answer.body(), type);
        } catch (IOException | RuntimeException e) {
            throw new PlatformUnavailableException("unreadable answer (status " + answer.status() + ")", e);
        }
    }

    public Map<String, Object> readMap(Answer answer) {
        return read(answer, MAP);
    }

    /** An unexpected status as an exception naming what was asked (not the body, which may hold secrets). */
    public static PlatformUnavailableException unexpected(String what, Answer answer) {
        return new PlatformUnavailableException(what + " answered " + answer.status());
    }
}
