package dev.gatehouse.gateway.websocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real WebSocket echo server on a real port (Netty, its own threads): echoes every data frame, records each
 * handshake's headers and chooses the subprotocol {@value #APP_PROTOCOL} when offered. On {@code /refuse} it answers
 * 403 instead of 101; on {@code /greet} it sends {@code hello} right after the handshake.
 */
final class EchoUpstream implements AutoCloseable {
    static final String APP_PROTOCOL = "chat.v1";

    /** One upstream handshake as it arrived. */
    record Handshake(String uri, HttpHeaders headers) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private final List<Channel> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger closeFrames = new AtomicInteger();

    EchoUpstream() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Echo());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    List<Handshake> handshakes() {
        return handshakes;
    }

    Handshake lastHandshake() {
        return handshakes.getLast();
    }

    int closeFrames() {
        return closeFrames.get();
    }

    /** Connections currently open (upgraded). */
    List<Channel> open() {
        return open.stream().filter(Channel::isActive).toList();
    }

    void reset() {
        handshakes.clear();
        closeFrames.set(0);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Echo extends SimpleChannelInboundHandler<Object> {
        private WebSocketServerHandshaker handshaker;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                handshakes.add(new Handshake(request.uri(), request.headers().copy()));
                if (request.uri().startsWith("/ws/refuse")) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                handshaker = new WebSocketServerHandshakerFactory("ws://" + request.headers().get("Host")
                        + request.uri(), APP_PROTOCOL, false, 16 * 1024 * 1024).newHandshaker(request);
                handshaker.handshake(ctx.channel(), request).addListener(f -> {
                    open.add(ctx.channel());
                    if (request.uri().startsWith("/ws/public/greet")) {
                        ctx.writeAndFlush(new TextWebSocketFrame("hello"));
                    }
                });
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            switch (frame) {
                case CloseWebSocketFrame close -> {
                    closeFrames.incrementAndGet();
                    handshaker.close(ctx.channel(), close.retain());
                }
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case TextWebSocketFrame text -> ctx.writeAndFlush(text.retain());
                case BinaryWebSocketFrame binary -> ctx.writeAndFlush(binary.retain());
                case ContinuationWebSocketFrame continuation -> ctx.writeAndFlush(continuation.retain());
                default -> {
                }
            }
        }
    }
}
