package dev.meshgate.proxy.link;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

/**
 * One exchange on a {@link PeerLink}, the same for both ends (it is an {@link Upstream} on the
 * connecting end and a {@link Downstream} on the accepting one, which share these methods): it frames the messages one side writes (a request, or a
 * response, as HTTP/1.1 codecs produce them) into HEADERS and DATA frames, and turns the frames the
 * peer sends into messages for the other side.
 *
 * <p>A message head is held until the next message or flush, so a request or response without a
 * body goes out as one HEADERS frame that ends the stream.
 */
abstract class LinkStream {

    final PeerLink link;
    /** Null on the connecting end until the request's HEADERS frame creates it. */
    Http2Stream stream;
    boolean inputEnded;
    boolean outputEnded;
    boolean inReadBatch;
    /** The peer's RST_STREAM code, or -1. */
    long resetCode = -1;
    private HttpMessage pendingHead;
    /** An interim (1xx) response went out: the empty end the HTTP/1.1 codec gives it has no place here. */
    private boolean skipEmptyEnd;
    private boolean paused;
    private int unacknowledged;

    LinkStream(PeerLink link) {
        this.link = link;
    }

    // ---- what the two ends do with what arrives ----

    /** A message for the other side of the exchange. */
    abstract void deliver(Object message);

    /** The end of a read in which messages were delivered. */
    abstract void readComplete();

    /** The stream can take more of what this side writes. */
    abstract void writable();

    /** The stream closed, normally or not. */
    abstract void streamClosed();

    // ---- writing ----

    /** Queues a message of this side's exchange as frames; nothing leaves before {@link #flush}. */
    public final void write(Object message) {
        if (outputEnded) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response && response.status().code() < 200) {
            writeHeaders(H2Messages.responseHead(response), false);
            skipEmptyEnd = true;
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpMessage head) {
            pendingHead = head;
        }
        if (message instanceof HttpContent content) {
            writeContent(content);
        }
    }

    private void writeContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        ByteBuf data = content.content();
        if (skipEmptyEnd) {
            if (last) {
                skipEmptyEnd = false;
            }
            content.release();
            return;
        }
        HttpHeaders trailers = last ? ((LastHttpContent) content).trailingHeaders() : null;
        if (pendingHead != null) {
            Http2Headers head = head(pendingHead);
            pendingHead = null;
            if (last && !data.isReadable() && trailers.isEmpty()) {
                content.release();
                writeHeaders(head, true);
                return;
            }
            writeHeaders(head, false);
            if (outputEnded) {
                content.release();
                return;
            }
        }
        if (last && !trailers.isEmpty()) {
            if (data.isReadable()) {
                writeData(data, false);
            } else {
                data.release();
            }
            writeHeaders(H2Messages.trailers(trailers), true);
        } else if (last || data.isReadable()) {
            writeData(data, last);
        } else {
            data.release();
        }
    }

    public final void flush() {
        if (pendingHead != null && !outputEnded) {
            Http2Headers head = head(pendingHead);
            pendingHead = null;
            writeHeaders(head, false);
        }
        link.flushSoon();
    }

    /** The stream's flow-control window and the connection both take more. */
    public final boolean isWritable() {
        return stream != null
                ? link.encoder().flowController().isWritable(stream)
                : link.ctx.channel().isWritable();
    }

    private static Http2Headers head(HttpMessage message) {
        return message instanceof HttpRequest request
                ? H2Messages.requestHead(request)
                : H2Messages.responseHead((HttpResponse) message);
    }

    /** Writes a HEADERS frame; the connecting end's first one creates the stream. */
    void writeHeaders(Http2Headers headers, boolean endStream) {
        writeHeadersOn(stream.id(), headers, endStream);
    }

    final void writeHeadersOn(int streamId, Http2Headers headers, boolean endStream) {
        if (endStream) {
            outputEnded = true;
        }
        link.encoder().writeHeaders(link.ctx, streamId, headers, 0, endStream, link.ctx.voidPromise());
    }

    private void writeData(ByteBuf data, boolean endStream) {
        if (endStream) {
            outputEnded = true;
        }
        if (stream == null) {
            data.release();
            return;
        }
        link.encoder().writeData(link.ctx, stream.id(), data, 0, endStream, link.ctx.voidPromise());
    }

    /** Ends the stream abruptly; nothing more is sent or delivered on it. */
    final void reset(Http2Error error) {
        pendingHead = null;
        if (stream != null && stream.state() != Http2Stream.State.CLOSED) {
            outputEnded = true;
            link.resetStream(link.ctx, stream.id(), error.code(), link.ctx.voidPromise());
            link.flushSoon();
        }
    }

    // ---- reading ----

    final int dataRead(ByteBuf data, int padding, boolean endStream) {
        int bytes = data.readableBytes() + padding;
        if (endStream) {
            inputEnded = true;
        }
        int acknowledged;
        if (paused) {
            unacknowledged += bytes;
            acknowledged = 0;
        } else {
            acknowledged = bytes;
        }
        HttpContent content = endStream ? new DefaultLastHttpContent(data.retain()) : new DefaultHttpContent(data.retain());
        link.readInThisBatch(this);
        deliver(content);
        return acknowledged;
    }

    /** Stops acknowledging what arrives, so the peer stops sending once the stream's window is used up. */
    public final void pauseReading() {
        paused = true;
    }

    public final void resumeReading() {
        if (!paused) {
            return;
        }
        paused = false;
        if (unacknowledged > 0 && stream != null && stream.state() != Http2Stream.State.CLOSED) {
            int bytes = unacknowledged;
            unacknowledged = 0;
            try {
                link.decoder().flowController().consumeBytes(stream, bytes);
            } catch (Http2Exception e) {
                reset(Http2Error.INTERNAL_ERROR);
            }
            link.flushSoon();
        }
    }

    final boolean refusedByPeer() {
        return resetCode == Http2Error.REFUSED_STREAM.code();
    }
}
