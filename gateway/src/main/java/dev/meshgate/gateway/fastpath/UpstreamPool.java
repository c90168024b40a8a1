package dev.meshgate.gateway.fastpath;

import dev.meshgate.proxy.pool.IdleConnections;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;

import java.net.InetSocketAddress;

/**
 * The upstream connections of one event loop: it opens them on the loop and transport of the client
 * connection that needs one, and keeps the idle ones for reuse in the data planes' shared
 * {@link IdleConnections} (most recently used first, a share per endpoint, an idle timeout). Only its
 * loop touches it, so a connection is taken and returned without locks.
 */
final class UpstreamPool {

    /** Idle connections kept per endpoint; more are closed when returned. */
    static final int MAX_IDLE_PER_ENDPOINT = 128;

    private final FastPath fastPath;
    private final IdleConnections<InetSocketAddress, UpstreamConnection> idle;

    UpstreamPool(FastPath fastPath, EventLoop loop) {
        this.fastPath = fastPath;
        this.idle = new IdleConnections<>(loop, UpstreamConnection::channel, MAX_IDLE_PER_ENDPOINT,
                fastPath.idleTimeoutNanos());
    }

    /** An idle open connection to the endpoint, or null. */
    UpstreamConnection poll(InetSocketAddress endpoint) {
        return idle.acquire(endpoint);
    }

    /** Connects a new connection on the loop and the transport of {@code client}. */
    ChannelFuture connect(Channel client, InetSocketAddress endpoint, UpstreamConnection connection) {
        Bootstrap bootstrap = new Bootstrap()
                .group((EventLoop) client.eventLoop())
                .channel(client.getClass().asSubclass(Channel.class))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, fastPath.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, client.config().getAllocator())
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("codec", new HttpClientCodec());
                        channel.pipeline().addLast("upstream", connection);
                    }
                });
        return bootstrap.connect(endpoint.getHostString(), endpoint.getPort());
    }

    void release(UpstreamConnection connection) {
        idle.release(connection.endpoint(), connection);
    }

    void remove(UpstreamConnection connection) {
        idle.closed(connection.endpoint(), connection);
    }
}
