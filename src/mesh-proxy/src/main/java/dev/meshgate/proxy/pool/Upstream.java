package dev.meshgate.proxy.pool;

/**
 * The upstream half of one attempt: a pooled HTTP/1.1 connection, or one stream of an HTTP/2 link
 * to a peer node. It takes the request as the downstream codec produced it ({@code HttpRequest},
 * {@code HttpContent}..., {@code LastHttpContent}) and hands the response to its
 * {@link UpstreamListener} the same way, on the attempt's event loop.
 */
public interface Upstream {

    /** Queues a request message; nothing leaves before {@link #flush}. */
    void write(Object message);

    void flush();

    /** False while the request side cannot take more without buffering (backpressure). */
    boolean isWritable();

    /** Stops handing over response messages while the downstream cannot take more. */
    void pauseReading();

    void resumeReading();

    /** Ends the attempt; {@code reusable} says whether its connection is in a known, clean state. */
    void finish(boolean reusable);

    /**
     * True when the upstream went away before it can have processed the request: a kept-alive
     * connection the peer had closed meanwhile (it may have read the request: resend only what is
     * replayable), or a stream the peer refused (it did not: any method may be resent).
     */
    boolean mayRetry();

    /** True when the peer says it never processed the request (REFUSED_STREAM, beyond GOAWAY's last stream). */
    boolean refused();

    /** What closed it, when known. */
    Throwable failure();
}
