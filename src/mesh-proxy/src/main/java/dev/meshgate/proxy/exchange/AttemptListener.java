package dev.meshgate.proxy.exchange;

import dev.meshgate.proxy.http.ProxyError;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Where an {@link Attempt} reports, on its event loop: the exchange serving a client, and later a
 * health probe or a mirror, none of which needs a client connection.
 */
public interface AttemptListener {

    /** The attempt has its upstream: the request may be written. */
    void attemptReady(Attempt attempt);

    /** No upstream could be had (refused, timed out, a pool limit): {@code error} says which, {@code message} in words. */
    void attemptFailed(Attempt attempt, ProxyError error, String message, Object... fields);

    /** The response head (interim ones included). */
    void attemptResponse(Attempt attempt, HttpResponse head);

    void attemptContent(Attempt attempt, HttpContent content);

    /** The end of a read in which response messages arrived. */
    void attemptReadComplete(Attempt attempt);

    /** The request side takes more again. */
    void attemptWritable(Attempt attempt);

    /**
     * The upstream went away before the attempt finished.
     *
     * @param unprocessed the upstream cannot have answered it: a kept-alive connection closed as it was reused
     *                    (the request may have been read), or a refused stream
     * @param refused     the peer says it did not process the request at all
     */
    void attemptClosed(Attempt attempt, boolean unprocessed, boolean refused, Throwable cause);
}
