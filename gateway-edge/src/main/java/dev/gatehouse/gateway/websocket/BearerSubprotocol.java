package dev.gatehouse.gateway.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mobile WebSocket credential of seed 000: a client that cannot send cookies opens
 * {@code new WebSocket(url, ["Bearer", token])}, so the upgrade carries {@code Sec-WebSocket-Protocol: Bearer, <token>}
 * (RFC 6455 §11.3.4, a comma-separated list). The token is the entry right after the {@value #MARKER} marker; every
 * other entry is an application subprotocol offered to the upstream. The gateway answers with the upstream's chosen
 * application subprotocol, else with {@value #MARKER}: never with the token.
 *
 * @param token        the token after the marker; empty when the marker is absent (or last)
 * @param marked       whether the list holds the {@value #MARKER} marker
 * @param appProtocols the offered subprotocols other than the marker and the token, in the client's order
 */
public record BearerSubprotocol(Optional<String> token, boolean marked, List<String> appProtocols) {
    /** The marker entry that announces a token (seed 000: the client sends {@code ['Bearer', token]}). */
    public static final String MARKER = "Bearer";

    public BearerSubprotocol {
        appProtocols = List.copyOf(appProtocols);
    }

    /** Parses every {@code Sec-WebSocket-Protocol} line of {@code headers}. */
    public static BearerSubprotocol parse(HttpHeaders headers) {
        List<String> entries = new ArrayList<>();
        for (String line : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String entry : line.split(",")) {
                String value = entry.strip();
                if (!value.isEmpty()) {
                    entries.add(value);
                }
            }
        }
        String token = null;
        boolean marked = false;
        List<String> app = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (!marked && MARKER.equals(entry)) {
                marked = true;
                if (i + 1 < entries.size()) {
                    token = entries.get(++i);
                }
            } else {
                app.add(entry);
            }
        }
        return new BearerSubprotocol(Optional.ofNullable(token), marked, app);
    }

    /**
     * The subprotocol to answer the client with: the upstream's choice when it made one (always one of
     * {@link #appProtocols()}), else the marker when the client sent it, else none.
     */
    public Optional<String> answer(String upstreamChoice) {
        if (upstreamChoice != null && !upstreamChoice.isEmpty() && appProtocols.contains(upstreamChoice)) {
            return Optional.of(upstreamChoice);
        }
        return marked ? Optional.of(MARKER) : Optional.empty();
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "BearerSubprotocol[marked=" + marked + ", token=" + (token.isPresent() ? "present" : "absent")
                + ", appProtocols=" + appProtocols + "]";
    }
}
