package dev.meshgate.proxy.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive connection to an upstream, the last handler of its pipeline. It serves at most one
 * attempt at a time: while attached it hands every response message to its owner (the attempt, on
 * the same event loop); while idle in the pool it expects nothing, and
 * closes on any unexpected byte.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter implements Upstream {

    private final UpstreamPool pool;
    private Channel channel;
    private PoolKey key;
    private UpstreamListener owner;
    private Throwable failure;
    /** Has served an exchange before: the peer may have closed it meanwhile. */
    boolean reused;
    private boolean readingPaused;

    UpstreamConnection(UpstreamPool pool) {
        this.pool = pool;
    }

    Channel channel() {
        return channel;
    }

    PoolKey key() {
        return key;
    }

    void key(PoolKey key) {
        this.key = key;
    }

    void attach(UpstreamListener owner) {
        this.owner = owner;
    }

    @Override
    public void write(Object message) {
        channel.write(message, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean mayRetry() {
        return reused;
    }

    /** Ends the current exchange: back to the pool when reusable, closed otherwise. */
    @Override
    public void finish(boolean reusable) {
        owner = null;
        resumeReading();
        if (reusable) {
            pool.release(this);
        } else {
            channel.close();
        }
    }

    @Override
    public void pauseReading() {
        if (!readingPaused) {
            readingPaused = true;
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        if (readingPaused) {
            readingPaused = false;
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public boolean refused() {
        return false;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        pool.opened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.closed(this);
        UpstreamListener current = owner;
        if (current != null) {
            owner = null;
            current.closed(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener current = owner;
        if (current != null) {
            current.message(this, msg);
        } else {
            // an idle keep-alive connection has nothing to say (a late 408, garbage): it is not reusable
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener current = owner;
        if (current != null) {
            current.readComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener current = owner;
        if (current != null && ctx.channel().isWritable()) {
            current.writable(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }
}
