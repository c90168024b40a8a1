package dev.meshgate.gateway.fastpath;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive upstream connections of one event loop, by endpoint. Only its loop touches it: a
 * connection is taken and returned without locks, and always serves exchanges of that loop.
 */
final class UpstreamPool {

    /** Idle connections kept per endpoint; more are closed when returned. */
    static final int MAX_IDLE_PER_ENDPOINT = 128;

    private final FastPath fastPath;
    private final Map<InetSocketAddress, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();

    UpstreamPool(FastPath fastPath) {
        this.fastPath = fastPath;
    }

    /** An idle open connection to the endpoint, or null. */
    UpstreamConnection poll(InetSocketAddress endpoint) {
        ArrayDeque<UpstreamConnection> connections = idle.get(endpoint);
        if (connections == null) {
            return null;
        }
        UpstreamConnection connection;
        while ((connection = connections.pollLast()) != null) {
            if (connection.channel().isActive()) {
                return connection;
            }
        }
        return null;
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
        ArrayDeque<UpstreamConnection> connections = idle.computeIfAbsent(connection.endpoint(), key -> new ArrayDeque<>());
        if (connections.size() >= MAX_IDLE_PER_ENDPOINT) {
            connection.channel().close();
            return;
        }
        connections.addLast(connection);
    }

    void remove(UpstreamConnection connection) {
        ArrayDeque<UpstreamConnection> connections = idle.get(connection.endpoint());
        if (connections != null) {
            connections.remove(connection);
        }
    }
}
