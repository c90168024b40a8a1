package dev.meshgate.proxy.listener;

import dev.meshgate.proxy.http.ErrorResponses;
import dev.meshgate.proxy.http.ForwardingHeaders;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The slow-header defence (nginx's {@code client_header_timeout}): a client gets so long from the
 * first byte of a request to the end of its head, or is answered 408 and closed. It sits before the
 * HTTP codec, where it sees bytes: the first bytes read while no request is open arm it, and the
 * connection's handler reports each decoded head ({@link #headReceived}) and each finished exchange
 * ({@link #exchangeEnded}); {@link Tap} does that reporting where the handler is not ours.
 *
 * <p>Like the exchange deadline, one scheduled task outlives many requests: it is rescheduled when
 * it fires early, so a busy keep-alive connection schedules about one task per timeout period.
 * Time is the event loop's ticker.
 */
public final class RequestHeadTimeout extends ChannelInboundHandlerAdapter implements Runnable {

    private final long timeoutNanos;
    private final Runnable onTimeout;
    private ChannelHandlerContext ctx;
    /** Heads decoded whose exchanges have not ended: while any is open, bytes are body or pipelined. */
    private int openHeads;
    private boolean armed;
    private long armedAt;
    private ScheduledFuture<?> scheduled;

    /** @param onTimeout counts a connection closed for it (called on the event loop) */
    public RequestHeadTimeout(long timeoutNanos, Runnable onTimeout) {
        this.timeoutNanos = timeoutNanos;
        this.onTimeout = onTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (openHeads == 0 && !armed && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            armed = true;
            armedAt = ctx.executor().ticker().nanoTime();
            if (scheduled == null) {
                schedule(timeoutNanos);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** A request's head has been decoded: the clock stops. */
    public void headReceived() {
        openHeads++;
        armed = false;
    }

    /** An exchange is over: the next bytes start a new head. */
    public void exchangeEnded() {
        if (openHeads > 0) {
            openHeads--;
        }
    }

    @Override
    public void run() {
        scheduled = null;
        if (!armed || !ctx.channel().isActive()) {
            return;
        }
        long remaining = armedAt + timeoutNanos - ctx.executor().ticker().nanoTime();
        if (remaining > 0) {
            schedule(remaining);
            return;
        }
        armed = false;
        onTimeout.run();
        long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        byte[] body = ErrorResponses.json(ProxyError.REQUEST_HEAD_TIMEOUT,
                "the request head was not complete within " + millis + " ms of its first byte",
                "timeout_ms", millis).getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: "
                + body.length + "\r\nconnection: close\r\nvia: " + ForwardingHeaders.VIA_VALUE + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        // written from before the codec: it goes to the socket as is, whatever the decoder holds
        ByteBuf response = ctx.alloc().buffer(head.length + body.length).writeBytes(head).writeBytes(body);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void schedule(long delayNanos) {
        scheduled = ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        armed = false;
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    /**
     * Reports heads and finished exchanges from after the codec, for a pipeline whose HTTP handling
     * is not ours (the gateway's): a decoded request stops the clock, a final response's last part ends its
     * exchange.
     */
    public static final class Tap extends ChannelDuplexHandler {
        private final RequestHeadTimeout timeout;

        public Tap(RequestHeadTimeout timeout) {
            this.timeout = timeout;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                timeout.headReceived();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse interim && interim.status().code() < 200)) {
                timeout.exchangeEnded();
            }
            ctx.write(msg, promise);
        }
    }
}
