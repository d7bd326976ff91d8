package dev.gatehouse.gateway.edge;

import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Who sent a request and how: the socket's peer, unless that peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and {@code X-Forwarded-Proto} is believed.
 * A client talking to the gateway directly cannot forge either.
 */
@Singleton
public class ClientAddress {
    private final List<Cidr> trusted;

    public ClientAddress(EdgeConfig config) {
        this.trusted = config.trustedProxies().stream().map(Cidr::parse).toList();
    }

    /** The client's IP address as text. */
    public String clientIp(HttpRequest<?> request) {
        InetAddress peer = peer(request);
        String peerText = peer != null ? peer.getHostAddress() : request.getRemoteAddress().getHostString();
        if (peer == null || !isTrusted(peer)) {
            return peerText;
        }
        String forwarded = String.join(",", request.getHeaders().getAll("X-Forwarded-For"));
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            InetAddress address = literal(hop);
            if (address == null) {
                // garbage in the chain: the last address we can vouch for is the one before it
                return i == hops.length - 1 ? peerText : hops[i + 1].strip();
            }
            if (!isTrusted(address)) {
                return address.getHostAddress();
            }
        }
        return peerText;
    }

    /** Whether the request reached the edge over TLS: on this connection, or per a trusted proxy. */
    public boolean overTls(HttpRequest<?> request) {
        if (request.isSecure()) {
            return true;
        }
        InetAddress peer = peer(request);
        if (peer == null || !isTrusted(peer)) {
            return false;
        }
        String proto = request.getHeaders().get("X-Forwarded-Proto");
        if (proto == null) {
            return false;
        }
        // a chain of proxies appends: the first value is what the client used
        return proto.split(",")[0].strip().toLowerCase(Locale.ROOT).equals("https");
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static InetAddress peer(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    private static InetAddress literal(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
