package dev.meshgate.proxy.listener;

import dev.meshgate.proxy.exchange.Downstream;
import dev.meshgate.proxy.exchange.Exchange;
import dev.meshgate.proxy.http.ClientAddress;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One client's HTTP/1.1 connection, the last handler of its pipeline: it serves its exchanges one at
 * a time, in order, with one {@link Exchange} reused for all of them. A request pipelined while the
 * previous exchange runs is held (with whatever follows it, reading paused: at most one read's
 * worth) until that exchange is over. Writes use the void promise and are flushed at the end of a
 * read batch and when an exchange completes; failures surface as exceptions on the channel.
 */
public final class Http1Connection extends ChannelInboundHandlerAdapter implements Downstream {

    /** User event fired into every accepted pipeline when the data plane shuts down. */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);
    private static final int PAUSED_HOLDING = 1;
    private static final int PAUSED_BY_EXCHANGE = 2;

    private final ListenerContext listener;
    private final RequestHeadTimeout headTimeout;
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    /** Messages read but not yet takeable, in arrival order; bounded by one read since reading pauses. */
    private ArrayDeque<Object> held;
    private boolean drainingHeld;
    private int pauseReasons;
    /** No further exchange on this connection: it is closed or closes once the last write is out. */
    private boolean closing;
    private boolean shuttingDown;

    /** @param headTimeout the pipeline's slow-header defence, told of every head and finished exchange */
    public Http1Connection(ListenerContext listener, RequestHeadTimeout headTimeout) {
        this.listener = listener;
        this.headTimeout = headTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            // added once the first bytes told the protocol: the connection is active already
            opened();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (exchange == null) {
            opened();
        }
        ctx.fireChannelActive();
    }

    private void opened() {
        exchange = new Exchange(listener, this, ClientAddress.of(ctx.channel().remoteAddress()));
        shuttingDown = listener.draining();
        if (shuttingDown) {
            exchange.drain();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && headTimeout != null) {
            headTimeout.headReceived();
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if ((held != null && !held.isEmpty()) || !canTake(msg)) {
            hold(msg);
        } else {
            take(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        exchange.readComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            exchange.downstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            shuttingDown = true;
            exchange.drain();
            if (!exchange.active() && !closing) {
                closeGracefully();
            }
        } else if (evt instanceof IdleStateEvent) {
            // a keep-alive connection with nothing in flight for the idle timeout
            if (!exchange.active() && !closing) {
                closeGracefully();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseHeld();
        if (exchange != null) {
            exchange.downstreamClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("downstream connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("downstream connection {} failed", ctx.channel(), cause);
        }
        ctx.close();
    }

    private boolean canTake(Object msg) {
        return !(msg instanceof HttpRequest) || !exchange.active();
    }

    private void take(Object msg) {
        if (msg instanceof HttpRequest next) {
            exchange.start(next);
        } else if (msg instanceof HttpContent content) {
            exchange.content(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void hold(Object msg) {
        if (held == null) {
            held = new ArrayDeque<>(8);
        }
        held.add(msg);
        pause(PAUSED_HOLDING);
    }

    /** Takes held messages in order for as long as they can be taken. */
    private void drainHeld() {
        if (drainingHeld || held == null) {
            return;
        }
        drainingHeld = true;
        try {
            Object next;
            while (!closing && (next = held.peek()) != null && canTake(next)) {
                held.poll();
                take(next);
            }
        } finally {
            drainingHeld = false;
        }
        if (closing) {
            releaseHeld();
        } else if (held.isEmpty()) {
            resume(PAUSED_HOLDING);
        }
    }

    private void releaseHeld() {
        if (held != null) {
            Object next;
            while ((next = held.poll()) != null) {
                ReferenceCountUtil.release(next);
            }
        }
    }

    private void pause(int reason) {
        if (pauseReasons == 0) {
            ctx.channel().config().setAutoRead(false);
        }
        pauseReasons |= reason;
    }

    private void resume(int reason) {
        if ((pauseReasons & reason) == 0) {
            return;
        }
        pauseReasons &= ~reason;
        if (pauseReasons == 0 && !closing) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Closes once everything written so far has gone out. */
    private void closeGracefully() {
        closing = true;
        releaseHeld();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- Downstream: the exchange's view of this connection ----

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void write(Object message) {
        ctx.write(message, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void writeLast(Object message, boolean close) {
        if (close) {
            closing = true;
            releaseHeld();
            ctx.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(message, ctx.voidPromise());
        }
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void pauseReading() {
        pause(PAUSED_BY_EXCHANGE);
    }

    @Override
    public void resumeReading() {
        resume(PAUSED_BY_EXCHANGE);
    }

    @Override
    public void abort() {
        closing = true;
        releaseHeld();
        ctx.close();
    }

    @Override
    public void exchangeFinished() {
        if (headTimeout != null) {
            headTimeout.exchangeEnded();
        }
        if (shuttingDown) {
            closeGracefully();
        } else {
            drainHeld();
        }
    }
}
