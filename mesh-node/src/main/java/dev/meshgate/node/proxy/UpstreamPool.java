package dev.meshgate.node.proxy;

import dev.meshgate.core.upstream.IdleConnections;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;

/**
 * The upstream connections of one event loop: it opens them (on the same loop as the downstream
 * connections that use them) and keeps the idle ones for reuse in the data planes' shared
 * {@link IdleConnections} (most recently used first, a share per address, an idle timeout).
 */
final class UpstreamPool {

    private final Bootstrap bootstrap;
    private final IdleConnections<UpstreamConnection> idle;
    // written by the loop only, read by the metrics gauges from any thread
    private volatile int open;

    UpstreamPool(EventLoop loop, Bootstrap bootstrap, int maxIdlePerEndpoint, long idleTimeoutNanos) {
        this.bootstrap = bootstrap;
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
