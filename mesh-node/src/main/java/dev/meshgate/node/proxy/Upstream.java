package dev.meshgate.node.proxy;

/**
 * The upstream half of one exchange: a pooled HTTP/1.1 connection, or one stream of an HTTP/2 link
 * to a peer node. It takes the request as the downstream codec produced it ({@code HttpRequest},
 * {@code HttpContent}..., {@code LastHttpContent}) and hands the response back the same way, on the
 * exchange's event loop.
 */
interface Upstream {

    /** Queues a request message; nothing leaves before {@link #flush}. */
    void write(Object message);

    void flush();

    /** False while the request side cannot take more without buffering (backpressure). */
    boolean isWritable();

    /** Stops handing over response messages while the downstream cannot take more. */
    void pauseReading();

    void resumeReading();

    /** Ends the exchange; {@code reusable} says whether its connection is in a known, clean state. */
    void finish(boolean reusable);

    /**
     * True when the upstream went away before it can have processed the request (a kept-alive
     * connection the peer had closed, a stream the peer refused), so a bodiless request may be resent.
     */
    boolean mayRetry();

    /** What closed it, when known. */
    Throwable failure();
}
