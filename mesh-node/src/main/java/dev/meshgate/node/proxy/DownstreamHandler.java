package dev.meshgate.node.proxy;

import dev.meshgate.node.telemetry.ExchangeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One downstream (client-facing) HTTP/1.1 connection, proxying its exchanges one at a time to
 * upstream connections on the same event loop. Messages stream through as the codecs produce them
 * ({@link HttpRequest}, {@link HttpContent}..., {@link LastHttpContent}), never aggregated.
 *
 * <p>Reading from a connection is paused only when something cannot be taken yet: a body chunk that
 * arrives while the upstream is being chosen or connected, a pipelined request while the previous
 * exchange runs (both held in order, at most one read's worth), or a peer that cannot be written
 * to fast enough (backpressure, both ways). Writes use the void promise and are flushed at the end
 * of a read batch and when an exchange completes; failures surface as exceptions on the channel.
 *
 * <p>Subclasses decide where a request goes ({@link #route}) by calling {@link #forward} or
 * {@link #reject}, now or later on this connection's event loop.
 */
public abstract class DownstreamHandler extends ChannelInboundHandlerAdapter {

    /** Body slices the decoders hand out at most: large enough that a 64 KB read is one message. */
    static final int MAX_CHUNK_SIZE = 64 * 1024;
    /** User event fired into every downstream pipeline when the node shuts down. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private static final Logger log = LoggerFactory.getLogger(DownstreamHandler.class);
    private static final int PAUSED_HOLDING = 1;
    private static final int PAUSED_UPSTREAM_FULL = 2;

    private final ListenerContext listener;
    private final ExchangeMetrics metrics;
    private Downstream downstream;
    private UpstreamPool pool;
    private ClientAddress client = ClientAddress.UNKNOWN;
    /** Messages read but not yet takeable, in arrival order; bounded by one read since reading pauses. */
    private ArrayDeque<Object> held;
    private boolean drainingHeld;
    private int pauseReasons;
    /** No further exchange on this connection: it is closed or closes once the last write is out. */
    private boolean closing;
    private boolean shuttingDown;

    // the current exchange; request is null between exchanges
    private HttpRequest request;
    private int exchangeId;
    private Destination destination;
    private Upstream upstream;
    /** The upstream is being chosen or connected: body chunks are held until it is there. */
    private boolean awaitingUpstream;
    private boolean clientKeepAlive;
    private boolean clientHttp10;
    private boolean headRequest;
    private boolean requestComplete;
    private boolean requestHasBody;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean interimResponse;
    private boolean upstreamReusable;
    private boolean closeAfterResponse;
    private boolean retried;
    private boolean upstreamFlushPending;
    private boolean downstreamFlushPending;
    private boolean recorded;
    private int status;
    private long startNanos;

    protected DownstreamHandler(ListenerContext listener) {
        this.listener = listener;
        this.metrics = listener.metrics();
    }

    /**
     * Decides where {@code request} goes: calls {@link #forward} or {@link #reject} exactly once, now
     * or later on {@link #eventLoop()} (check {@link #awaitingRoute} first when later). Forwarding
     * headers and the trace span are already in place.
     */
    protected abstract void route(HttpRequest request);

    /** Sends the current request to {@code destination} over a pooled or new connection. */
    protected final void forward(Destination destination) {
        this.destination = destination;
        openUpstream(false);
    }

    /** Binds an upstream ready now, or lets the pool call back when one is (or cannot be) connected. */
    private void openUpstream(boolean fresh) {
        Upstream ready = pool.open(destination, this, exchangeId, fresh);
        if (ready != null) {
            bind(ready);
        }
    }

    /** Answers the current request with the proxy's own JSON error. */
    protected final void reject(ProxyError error, String message, Object... fields) {
        respondWithError(error, message, fields);
    }

    /** Identifies the current exchange, for routing decisions completed later. */
    protected final int currentExchange() {
        return exchangeId;
    }

    /** True while exchange {@code id} is still waiting for its route on a live connection. */
    protected final boolean awaitingRoute(int id) {
        return !closing && request != null && id == exchangeId && awaitingUpstream && destination == null;
    }

    protected final EventLoop eventLoop() {
        return downstream.eventLoop();
    }

    // ---- downstream events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.downstream = new ConnectionDownstream(ctx);
        if (ctx.channel().isActive()) {
            // added once the first bytes told the protocol: the connection is active already
            opened(ClientAddress.of(ctx.channel().remoteAddress()));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (pool == null) {
            opened(ClientAddress.of(ctx.channel().remoteAddress()));
        }
        ctx.fireChannelActive();
    }

    /** Serves the exchange of one HTTP/2 stream instead of an HTTP/1.1 connection. */
    final void openOnStream(Downstream stream, ClientAddress from) {
        this.downstream = stream;
        opened(from);
    }

    private void opened(ClientAddress from) {
        pool = listener.upstreams().forLoop(downstream.eventLoop());
        client = from;
        shuttingDown = listener.draining();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received(msg);
    }

    /** A request message from the downstream, in order. */
    final void received(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if ((held != null && !held.isEmpty()) || !canTake(msg)) {
            hold(msg);
            return;
        }
        take(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readComplete();
    }

    /** The end of a batch of request messages: what was written upstream goes out together. */
    final void readComplete() {
        if (upstreamFlushPending) {
            upstreamFlushPending = false;
            if (upstream != null) {
                upstream.flush();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            downstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The downstream can take more of the response again. */
    final void downstreamWritable() {
        if (upstream != null) {
            upstream.resumeReading();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            shuttingDown = true;
            if (request == null && !closing) {
                closeGracefully();
            }
        } else if (evt instanceof IdleStateEvent) {
            // a keep-alive connection with nothing in flight for the idle timeout
            if (request == null && !closing) {
                closeGracefully();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed();
        ctx.fireChannelInactive();
    }

    /** The downstream connection (or stream) is gone: whatever is in flight is abandoned. */
    final void closed() {
        boolean closedByClient = !closing;
        closing = true;
        releaseHeld();
        if (request != null) {
            if (closedByClient && !responseComplete) {
                metrics.error("client_closed");
            }
            record(responseStarted ? status : 0);
            Upstream attached = upstream;
            if (attached != null) {
                upstream = null;
                attached.finish(false);
            }
            request = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("downstream connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("downstream connection {} failed", ctx.channel(), cause);
        }
        ctx.close();
    }

    private boolean canTake(Object msg) {
        if (msg instanceof HttpRequest) {
            return request == null;
        }
        return !awaitingUpstream;
    }

    private void take(Object msg) {
        if (msg instanceof HttpRequest next) {
            startExchange(next);
        } else if (msg instanceof HttpContent content) {
            takeContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void hold(Object msg) {
        if (held == null) {
            held = new ArrayDeque<>(8);
        }
        held.add(msg);
        pause(PAUSED_HOLDING);
    }

    /** Takes held messages in order for as long as they can be taken. */
    private void drainHeld() {
        if (drainingHeld || held == null) {
            return;
        }
        drainingHeld = true;
        try {
            Object next;
            while (!closing && (next = held.peek()) != null && canTake(next)) {
                held.poll();
                take(next);
            }
        } finally {
            drainingHeld = false;
        }
        if (closing) {
            releaseHeld();
        } else if (held.isEmpty()) {
            resume(PAUSED_HOLDING);
        }
    }

    private void releaseHeld() {
        if (held != null) {
            Object next;
            while ((next = held.poll()) != null) {
                ReferenceCountUtil.release(next);
            }
        }
    }

    private void pause(int reason) {
        if (pauseReasons == 0) {
            downstream.pauseReading();
        }
        pauseReasons |= reason;
    }

    private void resume(int reason) {
        if ((pauseReasons & reason) == 0) {
            return;
        }
        pauseReasons &= ~reason;
        if (pauseReasons == 0 && !closing) {
            downstream.resumeReading();
        }
    }

    // ---- request side ----

    private void startExchange(HttpRequest next) {
        if (next.decoderResult().isFailure()) {
            rejectMalformed(next);
            return;
        }
        request = next;
        exchangeId++;
        startNanos = metrics.started();
        recorded = false;
        destination = null;
        clientHttp10 = HttpVersion.HTTP_1_0.equals(next.protocolVersion());
        clientKeepAlive = HttpUtil.isKeepAlive(next);
        headRequest = HttpMethod.HEAD.equals(next.method());
        requestComplete = false;
        requestHasBody = false;
        responseStarted = false;
        responseComplete = false;
        interimResponse = false;
        upstreamReusable = false;
        closeAfterResponse = false;
        retried = false;
        status = 0;
        awaitingUpstream = true;

        HttpHeaders headers = next.headers();
        HopByHopHeaders.strip(headers);
        ForwardingHeaders.appendHop(headers, client, listener.security().protocol());
        ForwardingHeaders.continueTrace(headers);
        // the upstream connection is ours: always HTTP/1.1 keep-alive, whatever the client spoke
        next.setProtocolVersion(HttpVersion.HTTP_1_1);

        int id = exchangeId;
        try {
            route(next);
        } catch (RuntimeException e) {
            log.warn("routing {} {} failed", next.method(), next.uri(), e);
            if (awaitingRoute(id)) {
                respondWithError(ProxyError.INTERNAL_ERROR, "the proxy could not route the request: " + e);
            }
        }
    }

    private void takeContent(HttpContent content) {
        if (request == null) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            Throwable cause = content.decoderResult().cause();
            content.release();
            requestBodyMalformed(cause);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (!requestHasBody && (content.content().isReadable()
                || (last && !((LastHttpContent) content).trailingHeaders().isEmpty()))) {
            requestHasBody = true;
        }
        Upstream attached = upstream;
        if (attached == null) {
            // answered already (an error, or an upstream that responded early): the rest is dropped
            content.release();
            if (last) {
                requestComplete = true;
                if (responseComplete) {
                    finishExchange();
                }
            }
            return;
        }
        if (last) {
            requestComplete = true;
            upstreamFlushPending = false;
            attached.write(content);
            attached.flush();
        } else {
            attached.write(content);
            upstreamFlushPending = true;
            if (!attached.isWritable()) {
                pause(PAUSED_UPSTREAM_FULL);
                upstreamFlushPending = false;
                attached.flush();
            }
        }
    }

    private void rejectMalformed(HttpRequest malformed) {
        Throwable cause = malformed.decoderResult().cause();
        ReferenceCountUtil.release(malformed);
        startNanos = metrics.started();
        recorded = false;
        ProxyError error;
        String message;
        Object[] fields;
        if (cause instanceof TooLongHttpHeaderException) {
            int limit = listener.limits().maxHeaderSize();
            error = ProxyError.HEADERS_TOO_LARGE;
            message = "the request header block exceeds " + limit + " bytes";
            fields = new Object[] {"limit_bytes", limit};
        } else if (cause instanceof TooLongHttpLineException) {
            int limit = listener.limits().maxInitialLineLength();
            error = ProxyError.URI_TOO_LONG;
            message = "the request line exceeds " + limit + " bytes";
            fields = new Object[] {"limit_bytes", limit};
        } else {
            error = ProxyError.BAD_REQUEST;
            message = "malformed request: " + (cause == null ? "unknown decoding error" : cause.getMessage());
            fields = new Object[0];
        }
        metrics.error(error.code());
        record(error.status().code());
        // the decoder discards everything after a bad message: nothing more can be read here
        closing = true;
        releaseHeld();
        FullHttpResponse response = ErrorResponses.response(downstream.alloc(), error,
                ErrorResponses.json(error, message, fields), false, true, false);
        downstream.writeLast(response, true);
    }

    private void requestBodyMalformed(Throwable cause) {
        String message = "malformed request body: " + (cause == null ? "unknown decoding error" : cause.getMessage());
        if (!responseStarted) {
            clientKeepAlive = false;
            respondWithError(ProxyError.BAD_REQUEST, message);
        } else {
            metrics.error(ProxyError.BAD_REQUEST.code());
            abortDownstream();
        }
    }

    private void bind(Upstream connection) {
        upstream = connection;
        awaitingUpstream = false;
        connection.write(request);
        if (requestComplete) {
            // a retry of a request without a body: all of it was taken before
            upstreamFlushPending = false;
            connection.write(LastHttpContent.EMPTY_LAST_CONTENT);
            connection.flush();
        } else {
            upstreamFlushPending = true;
            drainHeld();
        }
    }

    // ---- upstream events (same event loop) ----

    void onUpstreamConnected(Upstream connection, int id) {
        if (closing || id != exchangeId || request == null || !awaitingUpstream || upstream != null) {
            // the exchange is gone: keep the fresh connection for the next one
            connection.finish(true);
            return;
        }
        bind(connection);
        if (upstreamFlushPending && upstream == connection) {
            upstreamFlushPending = false;
            connection.flush();
        }
    }

    void onUpstreamConnectFailed(InetSocketAddress address, Throwable cause, int id) {
        if (closing || id != exchangeId || request == null || !awaitingUpstream || destination == null) {
            return;
        }
        ProxyError error;
        String message;
        if (cause instanceof ConnectTimeoutException) {
            error = ProxyError.UPSTREAM_CONNECT_TIMEOUT;
            message = destination.describe() + " did not accept a connection within "
                    + listener.limits().connectTimeout().toMillis() + " ms";
        } else if (cause instanceof ConnectException) {
            error = ProxyError.UPSTREAM_CONNECT_REFUSED;
            message = destination.describe() + " refused the connection";
        } else {
            error = ProxyError.UPSTREAM_CONNECT_FAILED;
            message = destination.describe() + " could not be reached: " + cause;
        }
        respondWithError(error, message, "service", destination.service(), "upstream", destination.upstream());
    }

    void onUpstreamMessage(Upstream from, Object msg) {
        if (from != upstream) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        } else if (msg instanceof HttpContent content) {
            onResponseContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    void onUpstreamReadComplete() {
        if (downstreamFlushPending) {
            downstreamFlushPending = false;
            downstream.flush();
        }
    }

    void onUpstreamWritable() {
        resume(PAUSED_UPSTREAM_FULL);
    }

    /** The attached upstream connection closed before the exchange completed. */
    void onUpstreamClosed(Upstream connection) {
        if (connection != upstream) {
            return;
        }
        upstream = null;
        resume(PAUSED_UPSTREAM_FULL);
        if (!responseStarted) {
            if (connection.mayRetry() && !retried && requestComplete && !requestHasBody && !interimResponse) {
                // a kept-alive connection the peer had closed meanwhile; a bodiless request is safe to resend
                retried = true;
                awaitingUpstream = true;
                openUpstream(true);
                return;
            }
            Throwable cause = connection.failure();
            respondWithError(ProxyError.UPSTREAM_RESET,
                    destination.describe() + " closed the connection before responding"
                            + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                    "service", destination.service(), "upstream", destination.upstream());
            return;
        }
        // the status line has been sent: only closing the connection tells the client
        metrics.error("upstream_aborted");
        abortDownstream();
    }

    private void onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            Throwable cause = response.decoderResult().cause();
            ReferenceCountUtil.release(response);
            upstreamBroken(destination.describe() + " sent a malformed response: " + cause.getMessage());
            return;
        }
        int code = response.status().code();
        if (code < 200) {
            // interim (100 Continue, 103 Early Hints): the final response follows on the same exchange
            interimResponse = true;
            if (!clientHttp10) {
                HopByHopHeaders.strip(response.headers());
                response.setProtocolVersion(HttpVersion.HTTP_1_1);
                downstream.write(response);
                downstreamFlushPending = true;
            }
            return;
        }
        status = code;
        responseStarted = true;
        upstreamReusable = HttpUtil.isKeepAlive(response);
        HttpHeaders headers = response.headers();
        boolean mayHaveBody = !headRequest && code != 204 && code != 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean delimitedByClose = mayHaveBody && !chunked && !HttpUtil.isContentLengthSet(response);
        if (delimitedByClose) {
            upstreamReusable = false;
        }
        HopByHopHeaders.strip(headers);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (clientHttp10) {
            // an HTTP/1.0 client knows no chunked coding: the body ends when the connection does
            if (chunked) {
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                closeAfterResponse = true;
            }
            if (delimitedByClose) {
                closeAfterResponse = true;
            }
        } else if (delimitedByClose) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (!clientKeepAlive || shuttingDown) {
            closeAfterResponse = true;
        }
        if (closeAfterResponse) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        headers.add(HttpHeaderNames.VIA, ForwardingHeaders.VIA_VALUE);
        downstream.write(response);
        downstreamFlushPending = true;
    }

    private void onResponseContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            Throwable cause = content.decoderResult().cause();
            content.release();
            upstreamBroken(destination.describe() + " sent a malformed response body: " + cause.getMessage());
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (interimResponse) {
            if (clientHttp10) {
                content.release();
            } else {
                downstream.write(content);
                downstreamFlushPending = true;
            }
            if (last) {
                interimResponse = false;
                onUpstreamReadComplete();
            }
            return;
        }
        if (!responseStarted) {
            content.release();
            return;
        }
        if (last) {
            writeLast(content, closeAfterResponse);
            onResponseComplete();
            return;
        }
        downstream.write(content);
        downstreamFlushPending = true;
        if (!downstream.isWritable()) {
            upstream.pauseReading();
            downstreamFlushPending = false;
            downstream.flush();
        }
    }

    /** The upstream broke the protocol: a 502 if nothing was sent yet, otherwise the client is cut off. */
    private void upstreamBroken(String message) {
        Upstream attached = upstream;
        if (attached != null) {
            upstream = null;
            attached.finish(false);
        }
        if (!responseStarted) {
            respondWithError(ProxyError.UPSTREAM_BAD_RESPONSE, message,
                    "service", destination.service(), "upstream", destination.upstream());
        } else {
            metrics.error(ProxyError.UPSTREAM_BAD_RESPONSE.code());
            abortDownstream();
        }
    }

    // ---- completing an exchange ----

    private void respondWithError(ProxyError error, String message, Object... fields) {
        metrics.error(error.code());
        awaitingUpstream = false;
        Upstream attached = upstream;
        if (attached != null) {
            upstream = null;
            attached.finish(false);
        }
        status = error.status().code();
        responseStarted = true;
        interimResponse = false;
        closeAfterResponse = !clientKeepAlive || shuttingDown;
        FullHttpResponse response = ErrorResponses.response(downstream.alloc(), error,
                ErrorResponses.json(error, message, fields), headRequest, closeAfterResponse, clientHttp10);
        writeLast(response, closeAfterResponse);
        onResponseComplete();
    }

    private void writeLast(Object last, boolean close) {
        downstreamFlushPending = false;
        if (close) {
            closing = true;
        }
        downstream.writeLast(last, close);
    }

    private void onResponseComplete() {
        responseComplete = true;
        record(status);
        Upstream attached = upstream;
        if (attached != null) {
            upstream = null;
            // an upstream that answered before the whole request reached it is in an unknown state
            attached.finish(upstreamReusable && requestComplete);
        }
        resume(PAUSED_UPSTREAM_FULL);
        if (closing) {
            releaseHeld();
        } else if (requestComplete) {
            finishExchange();
        } else {
            // the rest of the request body (some of it held already) is read and dropped, then finishExchange
            drainHeld();
        }
    }

    private void finishExchange() {
        request = null;
        destination = null;
        awaitingUpstream = false;
        if (shuttingDown) {
            closeGracefully();
            return;
        }
        drainHeld();
    }

    private void record(int sentStatus) {
        if (!recorded) {
            recorded = true;
            metrics.finished(sentStatus, startNanos);
        }
    }

    private void abortDownstream() {
        record(status);
        closing = true;
        releaseHeld();
        downstream.abort();
    }

    /** Closes once everything written so far has gone out. */
    private void closeGracefully() {
        closing = true;
        releaseHeld();
        downstream.closeGracefully();
    }

    /** The downstream as a client's HTTP/1.1 connection: this handler's own channel. */
    private static final class ConnectionDownstream implements Downstream {
        private final ChannelHandlerContext ctx;

        ConnectionDownstream(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }

        @Override
        public EventLoop eventLoop() {
            return ctx.channel().eventLoop();
        }

        @Override
        public void write(Object message) {
            ctx.write(message, ctx.voidPromise());
        }

        @Override
        public void flush() {
            ctx.flush();
        }

        @Override
        public void writeLast(Object message, boolean close) {
            if (close) {
                ctx.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(message, ctx.voidPromise());
            }
        }

        @Override
        public boolean isWritable() {
            return ctx.channel().isWritable();
        }

        @Override
        public void pauseReading() {
            ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void resumeReading() {
            ctx.channel().config().setAutoRead(true);
        }

        @Override
        public void abort() {
            ctx.close();
        }

        @Override
        public void closeGracefully() {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
