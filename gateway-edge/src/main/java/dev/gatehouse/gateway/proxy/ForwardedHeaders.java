package dev.gatehouse.gateway.proxy;

import dev.gatehouse.kit.http.RequestIdFilter;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpHeaders;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;

/** Rewrites the headers of a request on its way to an upstream (RFC 9110 §7.6.1 hop-by-hop, X-Forwarded-*). */
final class ForwardedHeaders {
    /** Reserved for the identity the gateway asserts to the services; a client must never be able to set them. */
    static final String RESERVED_PREFIX = "x-gatehouse-";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private ForwardedHeaders() {
    }

    static void rewrite(HttpRequest<?> original, MutableHttpHeaders headers) {
        // Headers named in Connection are hop-by-hop too.
        var connectionListed = new ArrayList<String>();
        for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String name : value.split(",")) {
                connectionListed.add(name.strip());
            }
        }
        String host = headers.get(HttpHeaders.HOST);
        String forwardedFor = headers.get("X-Forwarded-For");
        for (String name : new ArrayList<>(headers.names())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || lower.startsWith("proxy-") || lower.startsWith(RESERVED_PREFIX)
                    || lower.equals("host") || lower.equals("forwarded")) {
                headers.remove(name);
            }
        }
        // ... but not the body's framing: dropping Content-Length would change the request itself.
        connectionListed.stream()
                .filter(n -> !n.isEmpty() && !n.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH))
                .forEach(headers::remove);
        // The id the gateway logged (normalised by the kit's RequestIdFilter) is the one the upstream logs.
        headers.set(RequestIdFilter.HEADER, RequestIdFilter.requestId(original));

        String client = clientIp(original);
        headers.set("X-Forwarded-For", forwardedFor == null || forwardedFor.isBlank()
                ? client : forwardedFor + ", " + client);
        headers.set("X-Forwarded-Proto", original.isSecure() ? "https" : "http");
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        } else {
            headers.remove("X-Forwarded-Host");
        }
    }

    private static String clientIp(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
