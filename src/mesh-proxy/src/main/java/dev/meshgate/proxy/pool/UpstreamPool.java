package dev.meshgate.proxy.pool;

import dev.meshgate.proxy.link.OutboundLink;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.function.Function;

/**
 * The upstream connections of one event loop: it opens them (on the same loop as the exchanges that
 * use them) and keeps the idle ones for reuse in {@link IdleConnections} (most recently used first, a
 * share per key, an idle timeout). HTTP/2 keys get this loop's one link to that peer instead.
 */
public final class UpstreamPool {

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Bootstrap linkBootstrap;
    private final Function<OutboundLink, ChannelHandler> linkPipelines;
    private final int maxHeaderListSize;
    private final int maxPendingStreams;
    private final ConnectionBudget budget;
    private final IdleConnections<PoolKey, UpstreamConnection> idle;
    /** The HTTP/2 link of this loop to each peer node that takes new streams. */
    private final HashMap<PoolKey, OutboundLink> links = new HashMap<>();
    // written by the loop only, read by the metrics gauges from any thread
    private volatile int open;

    UpstreamPool(EventLoop loop, Bootstrap bootstrap, Function<OutboundLink, ChannelHandler> linkPipelines,
            int maxHeaderListSize, int maxPendingStreams, ConnectionBudget budget, int maxIdlePerEndpoint,
            long idleTimeoutNanos) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.linkBootstrap = bootstrap.clone();
        this.linkPipelines = linkPipelines;
        this.maxHeaderListSize = maxHeaderListSize;
        this.maxPendingStreams = maxPendingStreams;
        this.budget = budget;
        this.idle = new IdleConnections<>(loop, UpstreamConnection::channel, maxIdlePerEndpoint, idleTimeoutNanos);
    }

    /**
     * An upstream for attempt {@code attemptId} of {@code owner}: an idle connection that is still
     * open, returned at once (unless {@code fresh} asks for a new one), or null while a new connection
     * is opened, whose result reaches {@code owner} on this loop as {@link UpstreamListener#connected}
     * or {@link UpstreamListener#connectFailed} (at once, when a limit forbids a new one).
     */
    public Upstream open(PoolKey key, UpstreamListener owner, int attemptId, boolean fresh) {
        if (key.protocol() == PoolKey.Protocol.H2C) {
            return openOnLink(key, owner, attemptId);
        }
        if (!fresh) {
            UpstreamConnection connection = idle.acquire(key);
            if (connection != null) {
                connection.reused = true;
                connection.attach(owner);
                return connection;
            }
        }
        if (!budget.tryAcquire()) {
            owner.connectFailed(key.address(), new PoolLimitException(
                    "the limit of " + budget.limit() + " open connections is reached", budget.limit()), attemptId);
            return null;
        }
        bootstrap.connect(key.address()).addListener(new PendingConnect(key, owner, attemptId));
        return null;
    }

    /** A stream on this loop's HTTP/2 link to the peer at {@code key}, connecting the link if needed. */
    public Upstream openOnLink(PoolKey key, UpstreamListener owner, int attemptId) {
        OutboundLink link = links.get(key);
        if (link == null || !link.usable()) {
            link = connectLink(key);
        }
        return link.open(owner, attemptId);
    }

    /** An attempt waiting for a stream of the link to {@code key} gave up. */
    public void cancelStream(PoolKey key, UpstreamListener owner, int attemptId) {
        OutboundLink link = links.get(key);
        if (link != null) {
            link.cancel(owner, attemptId);
        }
    }

    private OutboundLink connectLink(PoolKey key) {
        OutboundLink link = new OutboundLink(this, key, maxHeaderListSize, maxPendingStreams);
        links.put(key, link);
        ChannelFuture connecting = linkBootstrap.clone().handler(linkPipelines.apply(link)).connect(key.address());
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                forget(link);
                link.failWaiting(future.cause());
            }
        });
        return link;
    }

    /** The link takes no new streams: the next attempt for its peer opens another. */
    public void forget(OutboundLink link) {
        links.remove(link.key(), link);
    }

    public void linkOpened() {
        open++;
    }

    public void linkClosed() {
        open--;
    }

    void release(UpstreamConnection connection) {
        idle.release(connection.key(), connection);
    }

    void opened() {
        open++;
    }

    void closed(UpstreamConnection connection) {
        open--;
        budget.release();
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

    /** Completes a connect for the attempt that asked; a stale attempt just leaves it in the pool. */
    private final class PendingConnect implements ChannelFutureListener {
        private final PoolKey key;
        private final UpstreamListener owner;
        private final int attemptId;

        PendingConnect(PoolKey key, UpstreamListener owner, int attemptId) {
            this.key = key;
            this.owner = owner;
            this.attemptId = attemptId;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            if (!future.isSuccess()) {
                budget.release();
                owner.connectFailed(key.address(), future.cause(), attemptId);
                return;
            }
            UpstreamConnection connection = future.channel().pipeline().get(UpstreamConnection.class);
            connection.key(key);
            connection.attach(owner);
            owner.connected(connection, attemptId);
        }
    }
}
