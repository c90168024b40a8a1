package dev.meshgate.proxy.link;

import dev.meshgate.proxy.exchange.Downstream;
import dev.meshgate.proxy.exchange.Exchange;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import dev.meshgate.proxy.http.ClientAddress;
import dev.meshgate.proxy.http.ErrorResponses;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.listener.Http1Connection;
import dev.meshgate.proxy.listener.ListenerContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

/**
 * The accepting end of a {@link PeerLink}, on the inbound listener: every stream is one
 * {@link Exchange}, served exactly as an HTTP/1.1 connection's exchange would be (routing,
 * forwarding headers, metrics, errors), with the stream as its downstream.
 */
public final class InboundLink extends PeerLink {

    private final ListenerContext listener;
    private ClientAddress client = ClientAddress.UNKNOWN;

    public InboundLink(ListenerContext listener) {
        super(Codec.create(true, listener.settings().maxHeaderSize()));
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        client = ClientAddress.of(ctx.channel().remoteAddress());
        super.handlerAdded(ctx);
    }

    @Override
    void headersRead(int streamId, Http2Headers headers, boolean endStream) throws Http2Exception {
        Http2Stream stream = connection().stream(streamId);
        if (stream == null) {
            return;
        }
        if (exchange(streamId) instanceof StreamDownstream known) {
            known.trailersRead(headers, endStream);
            return;
        }
        StreamDownstream downstream = new StreamDownstream(this, stream);
        attach(stream, downstream);
        HttpRequest request;
        try {
            request = H2Messages.request(headers, endStream);
        } catch (IllegalArgumentException e) {
            downstream.rejectMalformed(e.getMessage());
            return;
        }
        downstream.exchange = new Exchange(listener, downstream, client);
        readInThisBatch(downstream);
        downstream.deliver(request);
        if (endStream) {
            downstream.inputEnded = true;
            downstream.deliver(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == Http1Connection.DRAIN) {
            closeGracefully();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    /** One stream: its exchange's downstream. */
    private static final class StreamDownstream extends LinkStream implements Downstream {
        Exchange exchange;

        StreamDownstream(PeerLink link, Http2Stream stream) {
            super(link);
            this.stream = stream;
        }

        void trailersRead(Http2Headers headers, boolean endStream) {
            if (!endStream) {
                // a second HEADERS frame that does not end the stream is malformed (RFC 9113 §8.1)
                reset(Http2Error.PROTOCOL_ERROR);
                return;
            }
            inputEnded = true;
            link.readInThisBatch(this);
            deliver(H2Messages.trailers(headers));
        }

        void rejectMalformed(String message) {
            ExchangeRecorder metrics = ((InboundLink) link).listener.recorder();
            long started = metrics.started();
            metrics.error(ProxyError.BAD_REQUEST.code());
            metrics.finished(ProxyError.BAD_REQUEST.status().code(), started);
            FullHttpResponse response = ErrorResponses.response(alloc(), ProxyError.BAD_REQUEST,
                    ErrorResponses.json(ProxyError.BAD_REQUEST, "malformed request: " + message), false, false, false, true);
            writeLast(response, false);
        }

        @Override
        void deliver(Object message) {
            Exchange current = exchange;
            if (current == null) {
                ReferenceCountUtil.release(message);
            } else if (message instanceof HttpRequest request) {
                current.start(request);
            } else if (message instanceof HttpContent content) {
                current.content(content);
            } else {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        void readComplete() {
            if (exchange != null) {
                exchange.readComplete();
            }
        }

        @Override
        void writable() {
            if (exchange != null) {
                exchange.downstreamWritable();
            }
        }

        @Override
        void streamClosed() {
            Exchange current = exchange;
            if (current != null) {
                exchange = null;
                current.downstreamClosed();
            }
        }

        // ---- Downstream ----

        @Override
        public ByteBufAllocator alloc() {
            return link.ctx.alloc();
        }

        @Override
        public EventLoop eventLoop() {
            return link.ctx.channel().eventLoop();
        }

        @Override
        public void writeLast(Object message, boolean close) {
            // the stream ends with its last message; the link stays for the next exchanges
            write(message);
            flush();
            // whatever of the request is still on its way is acknowledged and dropped, as HTTP/1.1 reads
            // and drops it, so the peer is never left blocked on this stream's window
            resumeReading();
        }

        @Override
        public void abort() {
            reset(Http2Error.INTERNAL_ERROR);
        }

        @Override
        public void exchangeFinished() {
            // nothing to do: the stream ended with its exchange, the link stays for the next ones
        }
    }
}
