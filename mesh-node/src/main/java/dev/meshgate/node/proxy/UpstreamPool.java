package dev.meshgate.node.proxy;

import dev.meshgate.core.upstream.IdleConnections;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.function.Function;

/**
 * The upstream connections of one event loop: it opens them (on the same loop as the downstream
 * connections that use them) and keeps the idle ones for reuse in the data planes' shared
 * {@link IdleConnections} (most recently used first, a share per address, an idle timeout).
 */
final class UpstreamPool {

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Bootstrap linkBootstrap;
    private final Function<OutboundLink, ChannelHandler> linkPipelines;
    private final int maxHeaderListSize;
    private final IdleConnections<UpstreamConnection> idle;
    /** The HTTP/2 link of this loop to each peer node that takes new streams. */
    private final HashMap<InetSocketAddress, OutboundLink> links = new HashMap<>();
    // written by the loop only, read by the metrics gauges from any thread
    private volatile int open;

    UpstreamPool(EventLoop loop, Bootstrap bootstrap, Function<OutboundLink, ChannelHandler> linkPipelines,
            int maxHeaderListSize, int maxIdlePerEndpoint, long idleTimeoutNanos) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.linkBootstrap = bootstrap.clone();
        this.linkPipelines = linkPipelines;
        this.maxHeaderListSize = maxHeaderListSize;
        this.idle = new IdleConnections<>(loop, UpstreamConnection::channel, maxIdlePerEndpoint, idleTimeoutNanos);
    }

    /**
     * An upstream for exchange {@code exchangeId} of {@code owner}: an idle connection that is still
     * open, returned at once (unless {@code fresh} asks for a new one), or null while a new connection
     * is opened, whose result reaches {@code owner} on this loop as
     * {@link DownstreamHandler#onUpstreamConnected} or {@link DownstreamHandler#onUpstreamConnectFailed}.
     */
    Upstream open(Destination destination, DownstreamHandler owner, int exchangeId, boolean fresh) {
        InetSocketAddress address = destination.address();
        if (destination.peerLink()) {
            return openOnLink(address, owner, exchangeId);
        }
        if (!fresh) {
            UpstreamConnection connection = idle.acquire(address);
            if (connection != null) {
                connection.reused = true;
                connection.attach(owner);
                return connection;
            }
        }
        connect(address, owner, exchangeId);
        return null;
    }

    /** A stream on this loop's HTTP/2 link to the peer at {@code address}, connecting the link if needed. */
    Upstream openOnLink(InetSocketAddress address, DownstreamHandler owner, int exchangeId) {
        OutboundLink link = links.get(address);
        if (link == null || !link.usable()) {
            link = connectLink(address);
        }
        return link.open(owner, exchangeId);
    }

    private OutboundLink connectLink(InetSocketAddress address) {
        OutboundLink link = new OutboundLink(this, address, maxHeaderListSize);
        links.put(address, link);
        ChannelFuture connecting = linkBootstrap.clone().handler(linkPipelines.apply(link)).connect(address);
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                forget(link);
                link.failWaiting(future.cause());
            }
        });
        return link;
    }

    /** The link takes no new streams: the next exchange for its peer opens another. */
    void forget(OutboundLink link) {
        links.remove(link.address(), link);
    }

    void linkClosed() {
        open--;
    }

    private void connect(InetSocketAddress address, DownstreamHandler owner, int exchangeId) {
        ChannelFuture connecting = bootstrap.connect(address);
        connecting.addListener(new PendingConnect(address, owner, exchangeId));
    }

    void release(UpstreamConnection connection) {
        idle.release(connection.key(), connection);
    }

    void opened() {
        open++;
    }

    void closed(UpstreamConnection connection) {
        open--;
        idle.closed(connection.key(), connection);
    }

    int openConnections() {
        return open;
    }

    int idleConnections() {
        return idle.idle();
    }

    /** Stops pooling: idle connections are closed, and connections released later too. */
    void shutdown() {
        idle.shutdown();
        loop.execute(() -> {
            for (OutboundLink link : new ArrayList<>(links.values())) {
                link.closeGracefully();
            }
        });
    }

    /** Completes a connect for the exchange that asked; a stale exchange just leaves it in the pool. */
    private final class PendingConnect implements ChannelFutureListener {
        private final InetSocketAddress address;
        private final DownstreamHandler owner;
        private final int exchangeId;

        PendingConnect(InetSocketAddress address, DownstreamHandler owner, int exchangeId) {
            this.address = address;
            this.owner = owner;
            this.exchangeId = exchangeId;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            if (!future.isSuccess()) {
                owner.onUpstreamConnectFailed(address, future.cause(), exchangeId);
                return;
            }
            UpstreamConnection connection = future.channel().pipeline().get(UpstreamConnection.class);
            connection.key(address);
            connection.attach(owner);
            owner.onUpstreamConnected(connection, exchangeId);
        }
    }
}
