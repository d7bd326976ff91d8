package dev.gatehouse.gateway.websocket;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * Opens the upstream half of a proxied WebSocket: a Netty client connection and the RFC 6455 §4.1 opening handshake,
 * on the client connection's own event loop when it is a NIO one (no thread hop per frame). Fails with
 * {@link UpstreamFailure}: {@code TIMEOUT} when the connection or the handshake answer takes too long (504), {@code
 * UNAVAILABLE} when the upstream refuses the connection or does not answer 101 (502).
 */
final class UpstreamConnector implements AutoCloseable {
    private final WebSocketSettings settings;
    private final SslContext ssl;
    private volatile EventLoopGroup ownGroup;

    UpstreamConnector(WebSocketSettings settings) {
        this.settings = settings;
        try {
            this.ssl = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context", e);
        }
    }

    /** Why the upstream half could not be opened. */
    static final class UpstreamFailure extends Exception {
        enum Kind { UNAVAILABLE, TIMEOUT }

        private final Kind kind;

        UpstreamFailure(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }

    /**
     * An upstream connection whose handshake completed. It does not read until {@link #relayTo(Channel)} installs the
     * relay; frames that arrived with the handshake answer are kept and delivered then.
     */
    static final class Connected {
        private final Channel channel;
        private final String subprotocol;
        private final Handshake handshake;

        private Connected(Channel channel, String subprotocol, Handshake handshake) {
            this.channel = channel;
            this.subprotocol = subprotocol;
            this.handshake = handshake;
        }

        Channel channel() {
            return channel;
        }

        /** The subprotocol the upstream chose, or null. */
        String subprotocol() {
            return subprotocol;
        }

        /** Starts relaying this connection's frames to {@code client}. */
        void relayTo(Channel client) {
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) {
                    handshake.channelInactive(channel.pipeline().context(handshake));
                    FrameRelay.close(client, io.netty.handler.codec.http.websocketx.WebSocketCloseStatus.ENDPOINT_UNAVAILABLE);
                    return;
                }
                channel.pipeline().replace(handshake, "gatehouse-ws-relay", new FrameRelay(client, "upstream"));
                WebSocketFrame early;
                while ((early = handshake.early.poll()) != null) {
                    client.write(early, client.voidPromise());
                }
                client.flush();
            });
        }
    }

    /**
     * Connects to {@code target} (ws, wss, http or https) from {@code client}'s event loop, sends {@code headers} with
     * the handshake and offers {@code subprotocols}. The future completes on the upstream's event loop.
     */
    Future<Connected> connect(Channel client, URI target, HttpHeaders headers, List<String> subprotocols,
                              Duration handshakeTimeout) {
        boolean tls = "wss".equals(target.getScheme()) || "https".equals(target.getScheme());
        URI wsUri = URI.create((tls ? "wss" : "ws") + target.toString().substring(target.getScheme().length()));
        int port = target.getPort() > 0 ? target.getPort() : tls ? 443 : 80;
        EventLoop loop = client instanceof NioSocketChannel ? client.eventLoop() : ownGroup().next();
        Promise<Connected> promise = loop.newPromise();

        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(wsUri,
                WebSocketVersion.V13, subprotocols.isEmpty() ? null : String.join(",", subprotocols), false, headers,
                settings.maxFrameSize(), true, false, settings.closeTimeout().toMillis(), false, false);
        Handshake handshake = new Handshake(handshaker, promise, handshakeTimeout);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls) {
                            SSLEngine engine = ssl.newEngine(ch.alloc(), target.getHost(), port);
                            SSLParameters parameters = engine.getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(parameters);
                            ch.pipeline().addLast("ssl", new SslHandler(engine));
                        }
                        ch.pipeline().addLast("http-client-codec", new HttpClientCodec());
                        ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("gatehouse-ws-handshake", handshake);
                    }
                });
        ChannelFuture connect = bootstrap.connect(target.getHost(), port);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause() instanceof ConnectTimeoutException
                        ? new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "connect timed out")
                        : new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE, "connection refused"));
            }
        });
        // A client that gives up before the upstream answered takes the upstream connection with it.
        client.closeFuture().addListener(f -> {
            if (!promise.isDone()) {
                promise.tryFailure(new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE, "client went away"));
                connect.channel().close();
            }
        });
        return promise;
    }

    private EventLoopGroup ownGroup() {
        EventLoopGroup group = ownGroup;
        if (group == null) {
            synchronized (this) {
                group = ownGroup;
                if (group == null) {
                    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
                    ownGroup = group;
                }
            }
        }
        return group;
    }

    @Override
    public void close() {
        EventLoopGroup group = ownGroup;
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Sends the opening handshake, checks the answer, then holds early frames until the relay takes over. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final WebSocketClientHandshaker handshaker;
        private final Promise<Connected> promise;
        private final Duration timeout;
        private final Queue<WebSocketFrame> early = new ArrayDeque<>();
        private ScheduledFuture<?> timer;

        Handshake(WebSocketClientHandshaker handshaker, Promise<Connected> promise, Duration timeout) {
            this.handshaker = handshaker;
            this.promise = promise;
            this.timeout = timeout;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timer = ctx.executor().schedule(() -> {
                if (promise.tryFailure(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "no handshake answer"))) {
                    ctx.close();
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            handshaker.handshake(ctx.channel()).addListener(f -> {
                if (!f.isSuccess() && promise.tryFailure(
                        new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE, "handshake not sent"))) {
                    ctx.close();
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpResponse response && !handshaker.isHandshakeComplete()) {
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                } catch (RuntimeException e) {
                    if (promise.tryFailure(new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE,
                            "upstream answered " + response.status().code()))) {
                        ctx.close();
                    }
                    return;
                } finally {
                    response.release();
                }
                cancelTimer();
                ctx.channel().config().setAutoRead(false);
                if (!promise.trySuccess(new Connected(ctx.channel(), handshaker.actualSubprotocol(), this))) {
                    ctx.close();
                }
                return;
            }
            if (msg instanceof WebSocketFrame frame) {
                early.add(frame);
                return;
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancelTimer();
            promise.tryFailure(new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE, "upstream closed the connection"));
            WebSocketFrame frame;
            while ((frame = early.poll()) != null) {
                frame.release();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            promise.tryFailure(new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE, cause.getClass().getSimpleName()));
            ctx.close();
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
