package dev.gatehouse.gateway.edge;

import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Two Netty handlers around each HTTP/1 connection's decoder, for what the filters cannot see:
 * <ul>
 *   <li>a request line or header block beyond Netty's own limits
 *       ({@code micronaut.server.netty.max-initial-line-length}/{@code max-header-size}) is answered 414 or 431 in
 *       problem+json (Micronaut would answer 413) and the connection closed;</li>
 *   <li>a client that started a request but has not finished its line and headers within
 *       {@code gatehouse.gateway.edge.request-head-timeout} (slowloris) gets 408 and is disconnected; the idle time
 *       between requests is {@code micronaut.server.idle-timeout}'s business.</li>
 * </ul>
 */
@Singleton
public class EdgeChannelHandlers implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeChannelHandlers.class);
    private static final String CODEC = ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC;

    private final long headTimeoutNanos;

    public EdgeChannelHandlers(EdgeConfig config) {
        this.headTimeoutNanos = config.requestHeadTimeout().toNanos();
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null) {
                return;
            }
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(CODEC) == null) {
                LOG.debug("no {} in {}: edge handlers not installed", CODEC, pipeline.names());
                return;
            }
            HeadClock clock = new HeadClock(headTimeoutNanos);
            pipeline.addBefore(CODEC, "gatehouse-head-clock", clock);
            pipeline.addAfter(CODEC, "gatehouse-head-check", new HeadCheck(clock));
        }
    }

    /** Before the decoder: starts the clock on the first byte of a request head; 408 when it runs out. */
    static final class HeadClock extends ChannelDuplexHandler {
        private final long timeoutNanos;
        private ChannelHandlerContext ctx;
        private ScheduledFuture<?> timer;
        private boolean inHead;
        private boolean inBody;

        HeadClock(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof ByteBuf buf && buf.isReadable() && !inHead && !inBody) {
                inHead = true;
                timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
            }
            super.channelRead(ctx, msg);
        }

        void headComplete() {
            inHead = false;
            inBody = true;
            cancel();
        }

        void requestComplete() {
            inBody = false;
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expire() {
            timer = null;
            if (inHead && ctx.channel().isActive()) {
                // straight to the socket: the decoder holds a partial request, the encoder has nothing to say
                ctx.writeAndFlush(rawResponse(ProblemType.REQUEST_TIMEOUT,
                                "The request line and headers were not sent in time"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancel();
            super.channelInactive(ctx);
        }
    }

    /** After the decoder: stops the clock, and answers decoder failures for too long lines and headers. */
    static final class HeadCheck extends ChannelInboundHandlerAdapter {
        private final HeadClock clock;
        private boolean failed;

        HeadCheck(HeadClock clock) {
            this.clock = clock;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (failed) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                clock.headComplete();
                if (request.decoderResult().isFailure()) {
                    Throwable cause = request.decoderResult().cause();
                    ProblemType type = cause instanceof TooLongHttpLineException ? ProblemType.URI_TOO_LONG
                            : cause instanceof TooLongHttpHeaderException ? ProblemType.REQUEST_HEADERS_TOO_LARGE
                            : null;
                    if (type != null) {
                        failed = true;
                        ReferenceCountUtil.release(msg);
                        clock.ctx.writeAndFlush(rawResponse(type, type == ProblemType.URI_TOO_LONG
                                        ? "The request URL is too long" : "The request headers are too large"))
                                .addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                }
            }
            if (msg instanceof LastHttpContent) {
                clock.requestComplete();
            }
            super.channelRead(ctx, msg);
        }
    }

    /** A complete HTTP/1.1 answer with a problem+json body, for writing below the HTTP encoder; closes. */
    static ByteBuf rawResponse(ProblemType type, String detail) {
        String body = "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":"
                + type.status().getCode() + ",\"detail\":\"" + detail + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + type.status().getCode() + " " + type.status().getReason() + "\r\n"
                + "Content-Type: application/problem+json\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n"
                + "X-Content-Type-Options: nosniff\r\n\r\n";
        ByteBuf buf = Unpooled.buffer(head.length() + bytes.length);
        buf.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        buf.writeBytes(bytes);
        return buf;
    }
}
