package dev.gatehouse.gateway.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the WebSocket frames read on one channel to its peer, unchanged (fragments, pings, pongs and close frames
 * included; the codecs re-mask on the upstream side). Backpressure: while the peer cannot take more
 * ({@link Channel#isWritable()} false) this side stops reading, and reading resumes when the peer drains. A close
 * frame or a dropped connection on either side closes the other.
 */
final class FrameRelay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FrameRelay.class);

    private static final AttributeKey<Boolean> CLOSE_SENT = AttributeKey.valueOf("gatehouse.ws.closeSent");

    private final Channel peer;
    private final String side;

    /** @param side what this channel is, for the log: {@code client} or {@code upstream} */
    FrameRelay(Channel peer, String side) {
        this.peer = peer;
        this.side = side;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(peer.isWritable());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!peer.isActive()) {
            frame.release();
            ctx.close();
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            // The close handshake goes through end to end; whoever then drops the TCP connection closes the other.
            if (markCloseSent(peer)) {
                peer.writeAndFlush(frame);
            } else {
                frame.release();
            }
            return;
        }
        // Reading stops and resumes only on the peer's writability events (see channelWritabilityChanged), which
        // fire as its buffer crosses the watermarks, also from inside this write or a flush.
        peer.write(frame, peer.voidPromise());
        if (!peer.isWritable()) {
            peer.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained (or filled up): let the peer read on (or stop it).
        peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!markCloseSent(peer)) {
            // The peer already has its close frame: just let the connection go once it is written.
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            close(peer, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // The server's idle timeout applies to WebSockets too; pings from either side count as traffic.
            close(ctx.channel(), WebSocketCloseStatus.ENDPOINT_UNAVAILABLE);
            close(peer, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("websocket {} side failed: {}: {}", side, cause.getClass().getSimpleName(), cause.getMessage());
        ctx.close();
    }

    /** Sends a close frame with {@code status} (unless one was sent already), then closes the connection. */
    static void close(Channel channel, WebSocketCloseStatus status) {
        close(channel, status, true);
    }

    private static void close(Channel channel, WebSocketCloseStatus status, boolean mark) {
        if (!channel.isActive()) {
            return;
        }
        if (!mark || markCloseSent(channel)) {
            channel.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Records that {@code channel} got its close frame; false when it had one already. */
    static boolean markCloseSent(Channel channel) {
        return channel.attr(CLOSE_SENT).setIfAbsent(Boolean.TRUE) == null;
    }
}
