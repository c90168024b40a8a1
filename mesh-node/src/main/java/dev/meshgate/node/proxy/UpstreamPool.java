package dev.meshgate.node.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive upstream connections of one event loop, by upstream address. Only that loop touches
 * it, so it needs no locks; connections are opened on the same loop as the downstream connections
 * that use them. The most recently used connection is handed out first (least likely to have been
 * closed by the peer's own idle timeout); at most {@code maxIdlePerEndpoint} wait per address, and a
 * periodic sweep closes those idle longer than the idle timeout.
 */
final class UpstreamPool {

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int maxIdlePerEndpoint;
    private final long idleTimeoutNanos;
    private final Map<InetSocketAddress, ArrayDeque<UpstreamConnection>> idleByAddress = new HashMap<>();
    private final ScheduledFuture<?> sweeper;
    // written by the loop only, read by the metrics gauges from any thread
    private volatile int open;
    private volatile int idle;

    UpstreamPool(EventLoop loop, Bootstrap bootstrap, int maxIdlePerEndpoint, long idleTimeoutNanos) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.maxIdlePerEndpoint = maxIdlePerEndpoint;
        this.idleTimeoutNanos = idleTimeoutNanos;
        long period = Math.max(idleTimeoutNanos / 2, TimeUnit.MILLISECONDS.toNanos(10));
        this.sweeper = loop.scheduleAtFixedRate(this::closeExpired, period, period, TimeUnit.NANOSECONDS);
    }

    /** An idle connection to {@code address} that is still open, or null. */
    UpstreamConnection acquire(InetSocketAddress address) {
        ArrayDeque<UpstreamConnection> idleConnections = idleByAddress.get(address);
        if (idleConnections == null) {
            return null;
        }
        UpstreamConnection connection;
        while ((connection = idleConnections.pollLast()) != null) {
            connection.idle = false;
            idle--;
            if (connection.channel().isActive()) {
                connection.reused = true;
                return connection;
            }
            connection.channel().close();
        }
        return null;
    }

    /**
     * Opens a new connection; the result reaches {@code owner} on this loop as
     * {@link DownstreamHandler#onUpstreamConnected} or {@link DownstreamHandler#onUpstreamConnectFailed}.
     */
    void connect(InetSocketAddress address, DownstreamHandler owner, int exchangeId) {
        ChannelFuture connecting = bootstrap.connect(address);
        connecting.addListener(new PendingConnect(address, owner, exchangeId));
    }

    void release(UpstreamConnection connection) {
        if (!connection.channel().isActive() || maxIdlePerEndpoint == 0 || sweeper.isCancelled()) {
            connection.channel().close();
            return;
        }
        ArrayDeque<UpstreamConnection> idleConnections =
                idleByAddress.computeIfAbsent(connection.key(), address -> new ArrayDeque<>());
        if (idleConnections.size() >= maxIdlePerEndpoint) {
            connection.channel().close();
            return;
        }
        connection.idle = true;
        connection.idleSinceNanos = System.nanoTime();
        idleConnections.addLast(connection);
        idle++;
    }

    void opened() {
        open++;
    }

    void closed(UpstreamConnection connection) {
        open--;
        if (connection.idle) {
            connection.idle = false;
            ArrayDeque<UpstreamConnection> idleConnections = idleByAddress.get(connection.key());
            if (idleConnections != null && idleConnections.remove(connection)) {
                idle--;
            }
        }
    }

    int openConnections() {
        return open;
    }

    int idleConnections() {
        return idle;
    }

    /** Stops pooling: idle connections are closed, and connections released later too. */
    void shutdown() {
        if (loop.inEventLoop()) {
            closeIdle();
        } else if (!loop.isShuttingDown()) {
            loop.execute(this::closeIdle);
        }
    }

    private void closeIdle() {
        sweeper.cancel(false);
        for (ArrayDeque<UpstreamConnection> idleConnections : idleByAddress.values()) {
            UpstreamConnection connection;
            while ((connection = idleConnections.pollFirst()) != null) {
                connection.idle = false;
                idle--;
                connection.channel().close();
            }
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (Iterator<ArrayDeque<UpstreamConnection>> it = idleByAddress.values().iterator(); it.hasNext(); ) {
            ArrayDeque<UpstreamConnection> idleConnections = it.next();
            UpstreamConnection oldest;
            while ((oldest = idleConnections.peekFirst()) != null && now - oldest.idleSinceNanos >= idleTimeoutNanos) {
                idleConnections.pollFirst();
                oldest.idle = false;
                idle--;
                oldest.channel().close();
            }
            if (idleConnections.isEmpty()) {
                it.remove();
            }
        }
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
            owner.onUpstreamConnected(connection, exchangeId);
        }
    }
}
