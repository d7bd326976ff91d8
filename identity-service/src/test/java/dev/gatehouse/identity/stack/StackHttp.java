package dev.gatehouse.identity.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A small HTTP client for the tests, acting like a browser as far as cookies go: it keeps the cookies Set-Cookie
 * gives it (by name; an expired one is dropped) and sends them back, whatever their Secure flag (tests talk plain
 * http to 127.0.0.1). Never follows redirects. Every answer keeps the raw Set-Cookie headers, to assert their flags.
 */
public final class StackHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String baseUrl;
    private final Map<String, String> jar = new LinkedHashMap<>();

    public StackHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** One answer. */
    public record Reply(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The Set-Cookie header for {@code name}, parsed. */
        public Optional<SetCookie> setCookie(String name) {
            return headers.allValues("Set-Cookie").stream().map(SetCookie::parse)
                    .filter(c -> c.name().equals(name)).reduce((a, b) -> b);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A parsed Set-Cookie header: name, value and attributes (lower-case keys; flags map to ""). */
    public record SetCookie(String name, String value, Map<String, String> attributes) {
        static SetCookie parse(String header) {
            String[] parts = header.split(";");
            String[] nv = parts[0].split("=", 2);
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                attributes.put(kv[0].toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1] : "");
            }
            return new SetCookie(nv[0].trim(), nv.length > 1 ? nv[1].trim() : "", attributes);
        }

        public boolean httpOnly() {
            return attributes.containsKey("httponly");
        }

        public boolean secure() {
            return attributes.containsKey("secure");
        }

        public Optional<String> sameSite() {
            return Optional.ofNullable(attributes.get("samesite"));
        }

        public boolean expired() {
            String maxAge = attributes.get("max-age");
            return value.isEmpty() || "0".equals(maxAge);
        }
    }

    /** The cookie this client holds under {@code name}, if any. */
    public Optional<String> cookie(String name) {
        synchronized (jar) {
            return Optional.ofNullable(jar.get(name));
        }
    }

    public void setCookie(String name, String value) {
        synchronized (jar) {
            jar.put(name, value);
        }
    }

    public void clearCookies() {
        synchronized (jar) {
            jar.clear();
        }
    }

    public Reply get(String path) {
        return request("GET", path, null, Map.of());
    }

    public Reply get(String path, String authorization) {
        return request("GET", path, null, Map.of("Authorization", authorization));
    }

    public Reply postJson(String path, Object body) {
        return postJson(path, body, null);
    }

    /** POST a JSON body ({@code body} may be a Map, a record or a String of JSON). */
    public Reply postJson(String path, Object body, String authorization) {
        String json = body instanceof String s ? s : JSON.valueToTree(body).toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return request("POST", path, json, headers);
    }

    /** Any request; the jar's cookies are sent, and Set-Cookie answers update the jar. */
    public Reply request(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        String cookies;
        synchronized (jar) {
            List<String> pairs = new ArrayList<>();
            jar.forEach((k, v) -> pairs.add(k + "=" + v));
            cookies = String.join("; ", pairs);
        }
        if (!cookies.isEmpty() && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Cookie"))) {
            builder.header("Cookie", cookies);
        }
        try {
            HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            synchronized (jar) {
                for (String header : response.headers().allValues("Set-Cookie")) {
                    SetCookie cookie = SetCookie.parse(header);
                    if (cookie.expired()) {
                        jar.remove(cookie.name());
                    } else {
                        jar.put(cookie.name(), cookie.value());
                    }
                }
            }
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
