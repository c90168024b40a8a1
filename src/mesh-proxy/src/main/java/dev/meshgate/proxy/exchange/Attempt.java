package dev.meshgate.proxy.exchange;

import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.pool.PoolKey;
import dev.meshgate.proxy.pool.PoolLimitException;
import dev.meshgate.proxy.pool.Upstream;
import dev.meshgate.proxy.pool.UpstreamListener;
import dev.meshgate.proxy.pool.UpstreamPool;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

import java.net.ConnectException;
import java.net.InetSocketAddress;

/**
 * One try of a request against one endpoint: it gets an upstream from the pool (a pooled connection
 * or a link stream), carries the request messages its listener writes, and reports the response and
 * the outcome to its {@link AttemptListener}, never to a client connection. One instance serves the
 * successive tries of its owner; each {@link #start} makes the previous one's late callbacks stale.
 */
public final class Attempt implements UpstreamListener {

    private final AttemptListener listener;
    private final long connectTimeoutMillis;
    private UpstreamPool pool;
    private Destination destination;
    private Upstream upstream;
    private int id;
    /** Asked the pool for an upstream that has not arrived yet. */
    private boolean waiting;

    public Attempt(AttemptListener listener, long connectTimeoutMillis) {
        this.listener = listener;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /**
     * Starts a try of {@code destination}: reports {@link AttemptListener#attemptReady} now or later,
     * or {@link AttemptListener#attemptFailed}. {@code fresh} asks for a new connection, not an idle one.
     */
    public void start(UpstreamPool from, Destination to, boolean fresh) {
        finish(false);
        pool = from;
        destination = to;
        int mine = ++id;
        waiting = true;
        Upstream ready = from.open(to.key(), this, mine, fresh);
        if (ready != null) {
            connected(ready, mine);
        }
    }

    public Destination destination() {
        return destination;
    }

    /** True while the upstream is attached. */
    public boolean bound() {
        return upstream != null;
    }

    public void write(Object message) {
        upstream.write(message);
    }

    public void flush() {
        upstream.flush();
    }

    public boolean isWritable() {
        return upstream.isWritable();
    }

    public void pauseReading() {
        if (upstream != null) {
            upstream.pauseReading();
        }
    }

    public void resumeReading() {
        if (upstream != null) {
            upstream.resumeReading();
        }
    }

    /** Ends the try; {@code reusable} says whether its connection is in a known, clean state. */
    public void finish(boolean reusable) {
        if (waiting) {
            waiting = false;
            id++;
            if (destination.key().protocol() == PoolKey.Protocol.H2C) {
                pool.cancelStream(destination.key(), this, id - 1);
            }
        }
        Upstream attached = upstream;
        if (attached != null) {
            upstream = null;
            attached.finish(reusable);
        }
    }

    // ---- from the pool and the upstream (same event loop) ----

    @Override
    public void connected(Upstream ready, int attemptId) {
        if (attemptId != id || !waiting) {
            // the try is over: a fresh connection is kept for the next one
            ready.finish(true);
            return;
        }
        waiting = false;
        upstream = ready;
        listener.attemptReady(this);
    }

    @Override
    public void connectFailed(InetSocketAddress address, Throwable cause, int attemptId) {
        if (attemptId != id || !waiting) {
            return;
        }
        waiting = false;
        String upstreamName = destination.upstream();
        String service = destination.service();
        if (cause instanceof PoolLimitException limit) {
            listener.attemptFailed(this, ProxyError.OVERLOADED, destination.describe() + " is not tried: "
                    + limit.getMessage(), "service", service, "upstream", upstreamName, "limit", limit.limit());
        } else if (cause instanceof ConnectTimeoutException) {
            listener.attemptFailed(this, ProxyError.UPSTREAM_CONNECT_TIMEOUT, destination.describe()
                    + " did not accept a connection within " + connectTimeoutMillis + " ms",
                    "service", service, "upstream", upstreamName);
        } else if (cause instanceof ConnectException) {
            listener.attemptFailed(this, ProxyError.UPSTREAM_CONNECT_REFUSED, destination.describe()
                    + " refused the connection", "service", service, "upstream", upstreamName);
        } else {
            listener.attemptFailed(this, ProxyError.UPSTREAM_CONNECT_FAILED, destination.describe()
                    + " could not be reached: " + cause, "service", service, "upstream", upstreamName);
        }
    }

    @Override
    public void message(Upstream from, Object message) {
        if (from != upstream) {
            ReferenceCountUtil.release(message);
        } else if (message instanceof HttpResponse head) {
            listener.attemptResponse(this, head);
        } else if (message instanceof HttpContent content) {
            listener.attemptContent(this, content);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void readComplete(Upstream from) {
        if (from == upstream) {
            listener.attemptReadComplete(this);
        }
    }

    @Override
    public void writable(Upstream from) {
        if (from == upstream) {
            listener.attemptWritable(this);
        }
    }

    @Override
    public void closed(Upstream from) {
        if (from != upstream) {
            return;
        }
        upstream = null;
        listener.attemptClosed(this, from.mayRetry(), from.refused(), from.failure());
    }
}
