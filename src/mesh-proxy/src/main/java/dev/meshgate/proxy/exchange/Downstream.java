package dev.meshgate.proxy.exchange;

import dev.meshgate.proxy.http.ErrorResponses;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * Where an exchange's response goes: a client's HTTP/1.1 connection, or one stream of an HTTP/2
 * link from a peer node. It takes the response as the upstream codec produced it and frames it for
 * its protocol.
 */
public interface Downstream {

    ByteBufAllocator alloc();

    EventLoop eventLoop();

    /** Queues a response message; nothing leaves before {@link #flush}. */
    void write(Object message);

    void flush();

    /** Writes the exchange's last message and flushes; with {@code close} an HTTP/1.1 connection closes after it. */
    void writeLast(Object message, boolean close);

    /** False while the response side cannot take more without buffering (backpressure). */
    boolean isWritable();

    /** Stops handing over request messages while the exchange cannot take them. */
    void pauseReading();

    void resumeReading();

    /** Cuts a response off mid-way: the only way left to tell the client it is incomplete. */
    void abort();

    /** The exchange is over, request and response: an HTTP/1.1 connection may take the next one. */
    void exchangeFinished();

    /**
     * The proxy answers the exchange itself ({@code aborted}: cuts it off, the response having started),
     * before it writes that answer: a downstream that records spans or logs failures hears why here.
     */
    default void failed(ProxyError error, String message, boolean aborted) {
    }

    /** Name/value pairs this downstream adds to the proxy's own error bodies (the edge's path and request id). */
    default Object[] errorContext() {
        return ErrorResponses.NO_FIELDS;
    }
}
