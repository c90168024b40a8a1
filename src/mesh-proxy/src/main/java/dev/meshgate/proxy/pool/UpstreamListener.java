package dev.meshgate.proxy.pool;

import java.net.InetSocketAddress;

/**
 * What a pooled connection or a link stream reports to while it serves one attempt, on the event
 * loop of both: its pool calls {@link #connected} or {@link #connectFailed} for an upstream it could
 * not hand out at once, then the upstream delivers the response.
 */
public interface UpstreamListener {

    /** The upstream asked for as {@code attemptId} is ready. */
    void connected(Upstream upstream, int attemptId);

    /** No upstream for {@code attemptId}: the connect failed, or a limit forbids one (see {@link PoolLimitException}). */
    void connectFailed(InetSocketAddress address, Throwable cause, int attemptId);

    /** A response message, as the HTTP/1.1 client codec produces them. */
    void message(Upstream from, Object message);

    /** The end of a read in which messages were delivered. */
    void readComplete(Upstream from);

    /** The request side takes more again. */
    void writable(Upstream from);

    /** The upstream went away before the attempt finished. */
    void closed(Upstream from);
}
