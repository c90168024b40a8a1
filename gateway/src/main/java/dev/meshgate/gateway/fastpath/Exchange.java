package dev.meshgate.gateway.fastpath;

import dev.meshgate.gateway.UpstreamFailure;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One request forwarded by the fast path: the client's messages streamed to a pooled upstream
 * connection on the same event loop, the response streamed back, the client flushed when the
 * upstream's read ends. Failures before any response byte answer like {@code UpstreamFailureHandler}
 * (JSON 502 or 504); a failure after the response started closes the client connection, as Gateway does.
 */
final class Exchange implements ChannelFutureListener, Runnable {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final String IDEMPOTENCY_KEY = "idempotency-key";
    private static final String X_IDEMPOTENCY_KEY = "x-idempotency-key";

    private final FastPathHandler handler;
    private final ChannelHandlerContext ctx;
    private final FastPath fastPath;
    private final FastRoute route;
    private final HttpRequest request;
    private final HttpMethod method;
    private final String path;
    private final String requestId;
    private final boolean clientKeepAlive;
    private final RecordedSpans spans;
    private final long startNanos = System.nanoTime();

    private InetSocketAddress endpoint;
    private UpstreamConnection connection;
    private boolean connected;
    private ArrayDeque<HttpContent> pending;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean done;
    private boolean retried;
    private int status;
    private ScheduledFuture<?> timeout;

    Exchange(FastPathHandler handler, ChannelHandlerContext ctx, FastPath fastPath, FastRoute route, HttpRequest request,
            String path, String requestId, boolean clientKeepAlive, RecordedSpans spans) {
        this.handler = handler;
        this.ctx = ctx;
        this.fastPath = fastPath;
        this.route = route;
        this.request = request;
        this.method = request.method();
        this.path = path;
        this.requestId = requestId;
        this.clientKeepAlive = clientKeepAlive;
        this.spans = spans;
    }

    boolean done() {
        return done;
    }

    void start(InetSocketAddress endpoint) {
        this.endpoint = endpoint;
        fastPath.countForwarded();
        UpstreamPool pool = fastPath.pool(ctx.channel().eventLoop());
        UpstreamConnection pooled = pool.poll(endpoint);
        if (pooled != null) {
            use(pooled);
            return;
        }
        connection = new UpstreamConnection(pool, endpoint);
        connection.attach(this);
        // the body has nowhere to go but memory until the upstream accepts: the client is read again
        // once it has (at most the read under way is kept in pending)
        handler.pauseReading(true);
        ChannelFuture connect = pool.connect(ctx.channel(), endpoint, connection);
        connection.channel(connect.channel());
        connect.addListener(this);
    }

    private void use(UpstreamConnection pooled) {
        connection = pooled;
        connected = true;
        handler.pauseReading(false);
        pooled.attach(this);
        Channel upstream = pooled.channel();
        upstream.write(request, upstream.voidPromise());
        if (pending != null) {
            HttpContent content;
            while ((content = pending.poll()) != null) {
                upstream.write(content, upstream.voidPromise());
            }
            pending = null;
        }
        if (requestComplete) {
            requestSent();
        }
        upstream.flush();
    }

    /** The upstream connection was established, or failed to be. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (done) {
            if (future.isSuccess()) {
                future.channel().close();
            }
            return;
        }
        if (future.isSuccess()) {
            connection.channel(future.channel());
            use(connection);
            return;
        }
        connection.attach(null);
        Throwable cause = future.cause();
        if (cause instanceof ConnectTimeoutException) {
            fail(UpstreamFailure.connectTimeout(route.serviceName(), upstream()), cause.getClass().getSimpleName());
        } else {
            fail(UpstreamFailure.connectRefused(route.serviceName(), upstream()),
                    cause == null ? "ConnectException" : cause.getClass().getSimpleName());
        }
    }

    void requestContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (!connected) {
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            pending.add(content);
            requestComplete = last;
            return;
        }
        Channel upstream = connection.channel();
        upstream.write(content, upstream.voidPromise());
        if (last) {
            requestComplete = true;
            requestSent();
            upstream.flush();
        }
    }

    void clientReadComplete() {
        if (connected && !done) {
            connection.channel().flush();
        }
    }

    /** The whole request is written: the response is awaited for at most the response timeout. */
    private void requestSent() {
        if (timeout == null && !responseStarted && fastPath.responseTimeoutMillis() > 0) {
            timeout = ctx.channel().eventLoop().schedule(this, fastPath.responseTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The response timeout. */
    @Override
    public void run() {
        timeout = null;
        if (!done && !responseStarted) {
            UpstreamConnection failed = connection;
            connection = null;
            if (failed != null) {
                failed.discard();
            }
            fail(UpstreamFailure.responseTimeout(route.serviceName(), upstream(),
                    Duration.ofMillis(fastPath.responseTimeoutMillis())), "TimeoutException");
        }
    }

    void upstreamRead(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL
                    && response.status().code() != 101) {
                ReferenceCountUtil.release(msg);
                return;
            }
            cancelTimeout();
            responseStarted = true;
            status = response.status().code();
            upstreamKeepAlive = HttpUtil.isKeepAlive(response);
            HttpHeaders headers = response.headers();
            boolean chunked = HttpUtil.isTransferEncodingChunked(response);
            HopByHop.remove(headers);
            if (chunked || (!headers.contains(HttpHeaderNames.CONTENT_LENGTH) && mayHaveBody(response))) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            if (!clientKeepAlive) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            response.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
        if (msg instanceof LastHttpContent) {
            complete(msg);
            return;
        }
        ctx.write(msg, ctx.voidPromise());
    }

    private boolean mayHaveBody(HttpResponse response) {
        int code = response.status().code();
        return !HttpMethod.HEAD.equals(method) && code != 204 && code != 304;
    }

    void upstreamReadComplete() {
        if (!done) {
            ctx.flush();
        }
    }

    void upstreamWritabilityChanged(boolean writable) {
        handler.pauseReading(!writable);
    }

    void clientWritabilityChanged(boolean writable) {
        if (connected && !done) {
            connection.channel().config().setAutoRead(writable);
        }
    }

    void upstreamClosed(UpstreamConnection closed) {
        if (done || closed != connection) {
            return;
        }
        connection = null;
        if (responseStarted) {
            // the response was cut short: the client cannot be told otherwise
            done = true;
            cancelTimeout();
            if (spans != null) {
                spans.failed(status, true, "PrematureCloseException", "upstream closed the connection before the response ended");
            }
            ctx.flush();
            ctx.close();
            handler.exchangeDone(this, false);
            return;
        }
        if (closed.reused() && !retried && requestComplete && pending == null && HttpUtil.getContentLength(request, 0L) == 0
                && !HttpUtil.isTransferEncodingChunked(request) && replayable()) {
            // a kept-alive connection closed by the upstream as it was reused, and a request that may be
            // sent twice: once more on a new one. Any other is a 502: the upstream may have acted on it.
            retried = true;
            cancelTimeout();
            connected = false;
            UpstreamPool pool = fastPath.pool(ctx.channel().eventLoop());
            connection = new UpstreamConnection(pool, endpoint);
            connection.attach(this);
            requestComplete = false;
            pending = new ArrayDeque<>(1);
            pending.add(LastHttpContent.EMPTY_LAST_CONTENT);
            requestComplete = true;
            ChannelFuture connect = pool.connect(ctx.channel(), endpoint, connection);
            connection.channel(connect.channel());
            connect.addListener(this);
            return;
        }
        fail(UpstreamFailure.reset(route.serviceName(), upstream()), "PrematureCloseException");
    }

    /**
     * Whether the request may be sent again after an upstream may have acted on it: GET, HEAD, OPTIONS
     * and TRACE, or any method with an {@code Idempotency-Key} (or {@code X-Idempotency-Key}) header,
     * the rule of Go's HTTP client. PUT and DELETE are idempotent (RFC 9110) but not resent blindly:
     * their effect may already have happened, and a second one can observe a different state (a 404
     * for the DELETE that succeeded, a PUT over a change made in between) that the client is then told.
     */
    private boolean replayable() {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.TRACE.equals(method) || request.headers().contains(IDEMPOTENCY_KEY)
                || request.headers().contains(X_IDEMPOTENCY_KEY);
    }

    void clientClosed() {
        if (done) {
            return;
        }
        done = true;
        cancelTimeout();
        releasePending();
        if (spans != null) {
            spans.abandoned();
        }
        if (connection != null) {
            UpstreamConnection open = connection;
            connection = null;
            open.discard();
        }
    }

    private void complete(Object last) {
        done = true;
        cancelTimeout();
        // recorded before the last write: a client that has its answer finds the exchange counted
        fastPath.metrics().record(route, method, status, true, System.nanoTime() - startNanos);
        if (spans != null) {
            spans.answered(status);
        }
        if (clientKeepAlive) {
            ctx.write(last, ctx.voidPromise());
            ctx.flush();
        } else {
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        }
        UpstreamConnection used = connection;
        connection = null;
        if (used != null) {
            if (upstreamKeepAlive && requestComplete && used.channel().isActive()) {
                used.channel().config().setAutoRead(true);
                used.release();
            } else {
                used.discard();
            }
        }
        handler.exchangeDone(this, clientKeepAlive);
    }

    private String upstream() {
        return endpoint.getPort() < 0 ? endpoint.getHostString() : endpoint.getHostString() + ":" + endpoint.getPort();
    }

    private void fail(UpstreamFailure upstreamFailure, String error) {
        done = true;
        cancelTimeout();
        releasePending();
        HttpStatus failure = upstreamFailure.status();
        log.warn("{} {} on route {}: {}", failure.value(), path, route.id(), upstreamFailure.message());
        byte[] body = fastPath.json(upstreamFailure.body(path, requestId));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(failure.value()), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        // the rest of an unread request body cannot be told from the next request: close after it
        boolean keepAlive = clientKeepAlive && requestComplete;
        status = failure.value();
        fastPath.metrics().recordFailure(route, method, status, error, System.nanoTime() - startNanos);
        if (spans != null) {
            spans.failed(status, false, error, upstreamFailure.message());
        }
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        handler.exchangeDone(this, keepAlive);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void releasePending() {
        if (pending != null) {
            HttpContent content;
            while ((content = pending.poll()) != null) {
                content.release();
            }
            pending = null;
        }
    }
}
