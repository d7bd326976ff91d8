package dev.gatehouse.tenant.support;

import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Real HTTP calls to the service under test, with JSON bodies read into maps. */
public final class Api {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final URI base;
    private final JsonMapper json;

    public Api(URI base, JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    /** An answer: status, headers, raw body. */
    public record Reply(int status, HttpHeaders headers, String body, JsonMapper json) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> map() {
            try {
                return json.readValue(body, Map.class);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }

        public String string(String field) {
            return (String) map().get(field);
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> data() {
            return (List<Map<String, Object>>) map().get("data");
        }

        @SuppressWarnings("unchecked")
        public String next() {
            return (String) ((Map<String, Object>) map().get("page")).get("next");
        }

        /** Asserts a problem+json answer of this status and type, and returns it. */
        public Reply problem(int expectedStatus, String type) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(headers.firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(map()).containsEntry("type", "urn:gatehouse:problem:" + type)
                    .containsEntry("status", expectedStatus).containsKeys("title", "requestId");
            assertThat(body).doesNotContain("Exception", "io.micronaut", "java.", "SQL", "postgres");
            return this;
        }

        public Reply status(int expected) {
            assertThat(status).as(body).isEqualTo(expected);
            return this;
        }
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    public Reply post(String path, String token, String body) {
        return send("POST", path, token, body);
    }

    public Reply put(String path, String token, String body) {
        return send("PUT", path, token, body);
    }

    public Reply patch(String path, String token, String body) {
        return send("PATCH", path, token, body);
    }

    public Reply send(String method, String path, String token, String body) {
        var request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
