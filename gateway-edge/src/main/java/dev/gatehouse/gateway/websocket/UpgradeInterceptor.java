package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.kit.http.ProblemType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One per public HTTP/1.1 connection, just before Micronaut's request handler: takes over a WebSocket upgrade
 * (RFC 6455 §4.2.1) on a WebSocket route, which Micronaut's HTTP proxy could not carry. Everything else goes on to
 * Micronaut untouched. A taken-over upgrade is authenticated and authorized ({@link WebSocketAccess}), then the
 * upstream handshake is made ({@link UpstreamConnector}) and only then is the client answered 101, with the
 * subprotocol chosen by {@link BearerSubprotocol#answer(String)}. From there {@link FrameRelay}s carry the frames and
 * a {@link CredentialWatch} closes the connection with 1008 when the credential expires or is revoked.
 */
final class UpgradeInterceptor extends ChannelInboundHandlerAdapter {
    static final String NAME = "gatehouse-ws-upgrade";
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeInterceptor.class);
    /** Micronaut's request handler: once a connection is a WebSocket, it no longer speaks HTTP. */
    private static final String MICRONAUT_HANDLER = "micronaut-inbound-handler";

    private final WebSocketGateway gateway;
    private boolean takenOver;

    UpgradeInterceptor(WebSocketGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (takenOver) {
            // The rest of the upgrade request (its empty body); nothing else arrives before the 101.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && isUpgrade(request)) {
            Optional<WebSocketGateway.Target> target = gateway.target(request);
            if (target.isPresent()) {
                takenOver = true;
                FullHttpRequest copy = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                        request.uri(), ctx.alloc().buffer(0), request.headers().copy(),
                        io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
                ReferenceCountUtil.release(msg);
                takeOver(ctx, copy, target.get());
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    static boolean isUpgrade(HttpRequest request) {
        return HttpMethod.GET.equals(request.method())
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    private void takeOver(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketGateway.Target target) {
        Channel client = ctx.channel();
        client.config().setAutoRead(false);
        if (client.pipeline().get(MICRONAUT_HANDLER) != null) {
            client.pipeline().remove(MICRONAUT_HANDLER);
        }
        String requestId = gateway.requestId(request);
        GatewayRoute route = target.match().route();

        WebSocketServerHandshaker probe = new WebSocketServerHandshakerFactory(wsUrl(request), null, false)
                .newHandshaker(request);
        if (probe == null) {
            request.release();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(client)
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
            refuse(ctx, request, route, requestId,
                    new UpgradeDecision.Refused(ProblemType.MALFORMED_REQUEST, "Sec-WebSocket-Key is missing"));
            return;
        }
        BearerSubprotocol offer = BearerSubprotocol.parse(request.headers());
        CompletionStage<UpgradeDecision> decision = gateway.access().decide(target, request, offer, client);
        decision.whenComplete((result, failure) -> ctx.executor().execute(() -> {
            if (!client.isActive()) {
                request.release();
                return;
            }
            if (failure != null) {
                LOG.warn("websocket upgrade on {}: access check failed: {}", route.id(),
                        failure.getClass().getSimpleName());
                refuse(ctx, request, route, requestId,
                        new UpgradeDecision.Refused(ProblemType.SERVICE_UNAVAILABLE, "Try again later"));
                return;
            }
            switch (result) {
                case UpgradeDecision.Refused refused -> refuse(ctx, request, route, requestId, refused);
                case UpgradeDecision.Allowed allowed -> connect(ctx, request, target, offer, allowed.principal(),
                        requestId);
            }
        }));
    }

    private void connect(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketGateway.Target target,
                         BearerSubprotocol offer, GatewayPrincipal principal, String requestId) {
        Channel client = ctx.channel();
        GatewayRoute route = target.match().route();
        URI upstream = gateway.upstreamUri(target, request.uri());
        Future<UpstreamConnector.Connected> connecting = gateway.connector().connect(client, upstream,
                gateway.upstreamHeaders(request, principal, client, requestId), offer.appProtocols(), route.timeout());
        connecting.addListener(f -> ctx.executor().execute(() -> {
            if (!f.isSuccess()) {
                request.release();
                var failure = f.cause() instanceof UpstreamConnector.UpstreamFailure u ? u : null;
                boolean timeout = failure != null && failure.kind() == UpstreamConnector.UpstreamFailure.Kind.TIMEOUT;
                LOG.warn("websocket {} -> {}: {}", route.id(), route.upstream(),
                        failure != null ? failure.getMessage() : f.cause().getClass().getSimpleName());
                if (client.isActive()) {
                    refuse(ctx, null, route, requestId, timeout
                            ? new UpgradeDecision.Refused(ProblemType.UPSTREAM_TIMEOUT,
                            "The " + route.upstream() + " service did not answer in time")
                            : new UpgradeDecision.Refused(ProblemType.UPSTREAM_UNAVAILABLE,
                            "The " + route.upstream() + " service is unavailable"));
                }
                return;
            }
            UpstreamConnector.Connected upstreamSide = connecting.getNow();
            if (!client.isActive()) {
                request.release();
                upstreamSide.channel().close();
                return;
            }
            String answer = offer.answer(upstreamSide.subprotocol()).orElse(null);
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(wsUrl(request), answer,
                    false, gateway.settings().maxFrameSize()).newHandshaker(request);
            handshaker.handshake(client, request).addListener(done -> {
                request.release();
                if (!done.isSuccess()) {
                    upstreamSide.channel().close();
                    client.close();
                    return;
                }
                LOG.info("websocket {} -> {} opened for {}", route.id(), route.upstream(),
                        principal == null ? "anonymous" : principal.subject());
                client.pipeline().replace(this, "gatehouse-ws-relay", new FrameRelay(upstreamSide.channel(), "client"));
                upstreamSide.relayTo(client);
                if (principal != null) {
                    gateway.watch(client, upstreamSide.channel(), principal);
                }
            });
        }));
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, GatewayRoute route, String requestId,
                        UpgradeDecision.Refused refused) {
        String path = request == null ? null : new QueryStringDecoder(request.uri()).rawPath();
        if (request != null) {
            request.release();
        }
        ctx.writeAndFlush(gateway.errorResponse(ctx.alloc(), route, refused, path, requestId))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static String wsUrl(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        return "ws://" + host + new QueryStringDecoder(request.uri()).rawPath();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (takenOver) {
            LOG.debug("websocket upgrade failed: {}", cause.getClass().getSimpleName());
            FrameRelay.close(ctx.channel(), WebSocketCloseStatus.INTERNAL_SERVER_ERROR);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
