package dev.meshgate.node.proxy;

import dev.meshgate.node.telemetry.ExchangeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

import java.util.function.Function;

/**
 * The accepting end of a {@link PeerLink}, on the inbound listener: every stream is one exchange,
 * served by its own instance of the listener's handler exactly as an HTTP/1.1 connection's exchange
 * would be (routing, forwarding headers, metrics, errors), with the stream as its downstream.
 */
final class InboundLink extends PeerLink {

    private final ListenerContext listener;
    private final Function<ListenerContext, DownstreamHandler> handlers;
    private ClientAddress client = ClientAddress.UNKNOWN;

    InboundLink(ListenerContext listener, Function<ListenerContext, DownstreamHandler> handlers) {
        super(Codec.create(true, listener.limits().maxHeaderSize()));
        this.listener = listener;
        this.handlers = handlers;
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
        if (exchange(streamId) instanceof Exchange known) {
            known.trailersRead(headers, endStream);
            return;
        }
        Exchange exchange = new Exchange(this, stream);
        attach(stream, exchange);
        HttpRequest request;
        try {
            request = H2Messages.request(headers, endStream);
        } catch (IllegalArgumentException e) {
            exchange.rejectMalformed(e.getMessage());
            return;
        }
        DownstreamHandler handler = handlers.apply(listener);
        exchange.handler = handler;
        handler.openOnStream(exchange, client);
        readInThisBatch(exchange);
        exchange.deliver(request);
        if (endStream) {
            exchange.inputEnded = true;
            exchange.deliver(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == DownstreamHandler.DRAIN) {
            closeGracefully();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    /** One stream's exchange: the handler's downstream. */
    private static final class Exchange extends LinkStream implements Downstream {
        DownstreamHandler handler;

        Exchange(PeerLink link, Http2Stream stream) {
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
            ExchangeMetrics metrics = ((InboundLink) link).listener.metrics();
            long started = metrics.started();
            metrics.error(ProxyError.BAD_REQUEST.code());
            metrics.finished(ProxyError.BAD_REQUEST.status().code(), started);
            FullHttpResponse response = ErrorResponses.response(alloc(), ProxyError.BAD_REQUEST,
                    ErrorResponses.json(ProxyError.BAD_REQUEST, "malformed request: " + message), false, false, false);
            writeLast(response, false);
        }

        @Override
        void deliver(Object message) {
            if (handler != null) {
                handler.received(message);
            } else {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        void readComplete() {
            if (handler != null) {
                handler.readComplete();
            }
        }

        @Override
        void writable() {
            if (handler != null) {
                handler.downstreamWritable();
            }
        }

        @Override
        void streamClosed() {
            DownstreamHandler current = handler;
            if (current != null) {
                handler = null;
                current.closed();
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
        public void closeGracefully() {
            // nothing to close: the stream ended with its exchange
        }
    }
}
