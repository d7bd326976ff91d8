package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.kit.http.ProblemType;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Authenticates and authorizes a WebSocket upgrade with its route's authenticators. */
@Singleton
public class WebSocketAccess {

    CompletionStage<UpgradeDecision> decide(WebSocketGateway.Target target, FullHttpRequest request,
                                            BearerSubprotocol offer, Channel client) {
        GatewayRoute route = target.match().route();
        if (route.access() == GatewayRoute.Access.PUBLIC) {
            return CompletableFuture.completedFuture(new UpgradeDecision.Allowed(null));
        }
        return CompletableFuture.completedFuture(new UpgradeDecision.Refused(ProblemType.UNAUTHORIZED,
                "Authentication is required", Map.of("WWW-Authenticate", "Bearer")));
    }
}
