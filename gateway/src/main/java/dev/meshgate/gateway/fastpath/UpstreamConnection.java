package dev.meshgate.gateway.fastpath;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/** One keep-alive connection to an upstream endpoint; it serves at most one {@link Exchange} at a time. */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    private final UpstreamPool pool;
    private final InetSocketAddress endpoint;
    private Channel channel;
    private Exchange exchange;
    private boolean reused;

    UpstreamConnection(UpstreamPool pool, InetSocketAddress endpoint) {
        this.pool = pool;
        this.endpoint = endpoint;
    }

    InetSocketAddress endpoint() {
        return endpoint;
    }

    Channel channel() {
        return channel;
    }

    void channel(Channel channel) {
        this.channel = channel;
    }

    /** Whether this connection served an exchange before the current one. */
    boolean reused() {
        return reused;
    }

    void attach(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Back to the pool after a complete exchange. */
    void release() {
        exchange = null;
        reused = true;
        pool.release(this);
    }

    /** Closed, never reused: the exchange ended part-way. */
    void discard() {
        exchange = null;
        channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange current = exchange;
        if (current == null) {
            // an idle keep-alive connection has nothing to say (a late 408, garbage): it is not reusable
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        current.upstreamRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            current.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            current.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.remove(this);
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            current.upstreamClosed(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a failed write or read: the exchange learns of it when the connection is closed
        ctx.close();
    }
}
