package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Ends an open WebSocket whose credential stops being valid: at the credential's expiry, and within
 * {@code revocation-interval} of its session or API key being revoked. The client gets close code 1008 (policy
 * violation, RFC 6455 §7.4.1) with the reason; the upstream gets 1001.
 */
@Singleton
public class CredentialWatch {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialWatch.class);
    static final String EXPIRED = "credential expired";
    static final String REVOKED = "credential revoked";

    private final WebSocketSettings settings;
    private final Predicate<GatewayPrincipal> revoked;
    private final Clock clock;

    public CredentialWatch(WebSocketSettings settings, RevocationCheck revocations) {
        this(settings, revocations::isRevoked, Clock.systemUTC());
    }

    CredentialWatch(WebSocketSettings settings, Predicate<GatewayPrincipal> revoked, Clock clock) {
        this.settings = settings;
        this.revoked = revoked;
        this.clock = clock;
    }

    void watch(Channel client, Channel upstream, GatewayPrincipal principal) {
        Instant expiresAt = principal.expiresAt();
        ScheduledFuture<?> expiry = null;
        if (expiresAt != null) {
            long delay = Math.max(0, expiresAt.toEpochMilli() - clock.millis());
            expiry = client.eventLoop().schedule(() -> end(client, upstream, principal, EXPIRED),
                    delay, TimeUnit.MILLISECONDS);
        }
        long interval = settings.revocationInterval().toMillis();
        ScheduledFuture<?> revocation = client.eventLoop().scheduleAtFixedRate(() -> {
            if (revoked.test(principal)) {
                end(client, upstream, principal, REVOKED);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> expiryTask = expiry;
        client.closeFuture().addListener(f -> {
            revocation.cancel(false);
            if (expiryTask != null) {
                expiryTask.cancel(false);
            }
        });
    }

    private static void end(Channel client, Channel upstream, GatewayPrincipal principal, String reason) {
        if (!client.isActive()) {
            return;
        }
        LOG.info("websocket of {} closed: {}", principal, reason);
        if (FrameRelay.markCloseSent(client)) {
            client.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION.code(), reason))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        } else {
            client.close();
        }
        FrameRelay.close(upstream, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE);
    }
}
