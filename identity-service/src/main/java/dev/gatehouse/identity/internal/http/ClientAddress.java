package dev.gatehouse.identity.internal.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client's address for throttling and events. Behind gateway-edge (a loopback or private peer) the last
 * {@code X-Forwarded-For} entry is the one the gateway appended; a public peer is the client itself.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static @Nullable String of(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        String forwarded = request.getHeaders().get("X-Forwarded-For");
        if (peer != null && (peer.isLoopbackAddress() || peer.isSiteLocalAddress()) && forwarded != null
                && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty() && last.length() <= 64) {
                return last;
            }
        }
        return peer == null ? null : peer.getHostAddress();
    }

    public static @Nullable String userAgent(HttpRequest<?> request) {
        String ua = request.getHeaders().get("User-Agent");
        return ua == null ? null : ua.length() > 500 ? ua.substring(0, 500) : ua;
    }
}
