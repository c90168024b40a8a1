package dev.meshgate.gateway.fastpath;

import dev.meshgate.core.trace.TraceContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Sits on each client connection between the HTTP codec and Reactor Netty's HTTP handling. A request
 * for a {@link FastRoute} is forwarded here, with its spans recorded here when its trace is recorded
 * ({@link RecordedSpans}); every other message goes on to Reactor Netty and Gateway's filter chain
 * untouched. Exchanges stay in order: a request is taken only when no response of Gateway's is
 * outstanding on the connection, and requests pipelined behind a fast exchange are held (reading
 * paused) until it completes.
 */
final class FastPathHandler extends ChannelDuplexHandler {

    static final String NAME = "meshgate.fastPath";
    private static final String B3 = "b3";
    private static final String HTTP2_SETTINGS = "http2-settings";

    private enum State { IDLE, GATEWAY_BODY, FAST_BODY, FAST_AWAIT, DISCARD_BODY }

    private final FastPath fastPath;
    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    private int gatewayInFlight;
    private Exchange exchange;
    private ArrayDeque<Object> held;
    private long requests;
    private boolean readingPaused;

    FastPathHandler(FastPath fastPath) {
        this.fastPath = fastPath;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            held.add(msg);
            return;
        }
        switch (state) {
            case GATEWAY_BODY -> {
                if (msg instanceof LastHttpContent) {
                    state = State.IDLE;
                }
                ctx.fireChannelRead(msg);
            }
            case FAST_BODY -> {
                if (msg instanceof HttpContent content) {
                    if (content instanceof LastHttpContent) {
                        state = State.FAST_AWAIT;
                    }
                    exchange.requestContent(content);
                } else {
                    hold(msg);
                }
            }
            case DISCARD_BODY -> {
                if (msg instanceof LastHttpContent) {
                    state = State.IDLE;
                }
                ReferenceCountUtil.release(msg);
            }
            case FAST_AWAIT -> hold(msg);
            case IDLE -> {
                if (msg instanceof HttpRequest request) {
                    route(request);
                } else {
                    ctx.fireChannelRead(msg);
                }
            }
        }
    }

    private void route(HttpRequest request) {
        requests++;
        if (gatewayInFlight > 0) {
            toGateway(request);
            return;
        }
        FastRoute route = eligible(request) ? fastPath.table().lookup(request.uri()) : null;
        if (route == null) {
            toGateway(request);
            return;
        }
        HttpHeaders headers = request.headers();
        String traceparent = headers.get(TraceContext.TRACEPARENT);
        TraceContext caller = null;
        boolean recorded;
        if (traceparent != null) {
            caller = TraceContext.parse(traceparent);
            if (caller == null) {
                // unreadable: Gateway's tracing decides what to make of it
                toGateway(request);
                return;
            }
            recorded = caller.sampled();
        } else {
            recorded = fastPath.sampleNewTrace();
        }
        if (recorded && fastPath.tracer() == null) {
            toGateway(request, caller == null);
            return;
        }
        InetSocketAddress endpoint = fastPath.endpoint(route);
        if (endpoint == null) {
            // no instance: Gateway's load balancer answers (503 from UpstreamFailureHandler)
            toGateway(request, recorded && caller == null);
            return;
        }
        String path = pathOf(request.uri());
        String target = route.target(request.uri());
        RecordedSpans spans = null;
        TraceContext span;
        if (recorded) {
            spans = RecordedSpans.start(fastPath.tracer(), request.method(), path, caller, route, requestUrl(headers, target));
            span = spans.upstreamContext();
        } else {
            // an unrecorded span of this hop
            span = caller != null ? caller.child() : TraceContext.newTrace(false);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        HopByHop.remove(headers);
        headers.remove(HTTP2_SETTINGS);
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        headers.set(HttpHeaderNames.HOST, endpoint.getPort() == 80 ? endpoint.getHostString() : authority(endpoint));
        // sent as W3C traceparent and single-header B3, as Gateway's tracing does
        headers.set(TraceContext.TRACEPARENT, span.traceparent());
        headers.set(B3, span.b3());
        request.setUri(target);
        exchange = new Exchange(this, ctx, fastPath, route, request, path,
                ctx.channel().id().asShortText() + "-" + requests, keepAlive, spans);
        state = State.FAST_BODY;
        exchange.start(endpoint);
    }

    /** What the fast path can forward as Gateway would; anything else is Gateway's to decide. */
    private static boolean eligible(HttpRequest request) {
        if (!request.decoderResult().isSuccess() || request.protocolVersion() != HttpVersion.HTTP_1_1
                || request instanceof LastHttpContent) {
            return false;
        }
        HttpMethod method = request.method();
        if (method == HttpMethod.CONNECT || method == HttpMethod.OPTIONS || method == HttpMethod.TRACE) {
            return false;
        }
        HttpHeaders headers = request.headers();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        // an offer to switch to h2c is declined by answering in HTTP/1.1, as Gateway's server does
        return (upgrade == null || "h2c".equalsIgnoreCase(upgrade)) && !headers.contains(HttpHeaderNames.EXPECT)
                && !headers.contains(B3) && !headers.contains("x-b3-traceid") && !headers.contains("x-b3-sampled")
                && !headers.contains(TraceContext.TRACESTATE) && !headers.contains("baggage");
    }

    /**
     * The URL Gateway's client span reports for the upstream call: the request's own scheme and
     * authority (WebFlux builds them from the Host header) with the rewritten path.
     */
    private String requestUrl(HttpHeaders headers, String target) {
        String host = headers.get(HttpHeaderNames.HOST);
        if (host == null && ctx.channel().localAddress() instanceof InetSocketAddress local) {
            host = authority(local);
        }
        return (ctx.pipeline().get(SslHandler.class) != null ? "https://" : "http://") + host + target;
    }

    private static String authority(InetSocketAddress endpoint) {
        return endpoint.getHostString() + ":" + endpoint.getPort();
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** Hands the request to Gateway, with the edge's decision to record it when it starts a trace here. */
    private void toGateway(HttpRequest request, boolean recordedRoot) {
        if (recordedRoot) {
            RootSampling.recorded(() -> toGateway(request));
        } else {
            toGateway(request);
        }
    }

    private void toGateway(HttpRequest request) {
        gatewayInFlight++;
        state = request instanceof LastHttpContent ? State.IDLE : State.GATEWAY_BODY;
        ctx.fireChannelRead(request);
    }

    private void hold(Object msg) {
        if (held == null) {
            held = new ArrayDeque<>(4);
            pauseReading(true);
        }
        held.add(msg);
    }

    /** Called by the exchange when its response is complete (or failed). */
    void exchangeDone(Exchange done, boolean keepAlive) {
        if (done != exchange) {
            return;
        }
        exchange = null;
        state = state == State.FAST_BODY ? State.DISCARD_BODY : State.IDLE;
        if (!keepAlive) {
            releaseHeld();
            return;
        }
        ArrayDeque<Object> replay = held;
        held = null;
        if (replay != null) {
            Object msg;
            while ((msg = replay.poll()) != null) {
                channelRead(ctx, msg);
            }
        }
        if (held == null) {
            readingPaused = false;
        }
        if (exchange == null && state != State.GATEWAY_BODY && gatewayInFlight == 0) {
            // the next request on this connection: Reactor Netty asks for it only after its own exchanges
            readMore();
        }
    }

    /**
     * Backpressure: stops (or resumes) reading the client while the upstream cannot take more (not yet
     * connected, or not writable) or pipelined requests are held. Reactor Netty's connections read on demand (auto-read off): the
     * fast path asks for each read itself while it owns the connection, and never switches auto-read.
     */
    void pauseReading(boolean pause) {
        if (pause == readingPaused || !pause && held != null) {
            // requests held behind the exchange keep reading paused until it is done (exchangeDone)
            return;
        }
        readingPaused = pause;
        if (!pause && exchange == null || !pause && state == State.FAST_BODY) {
            readMore();
        }
    }

    private void readMore() {
        if (!readingPaused && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.clientReadComplete();
        }
        if (state == State.FAST_BODY || state == State.DISCARD_BODY) {
            // the rest of a request body the fast path owns
            readMore();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // a response of Gateway's passing by: once complete, the connection may take fast requests again
        if (msg instanceof LastHttpContent && gatewayInFlight > 0) {
            gatewayInFlight--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.clientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            Exchange open = exchange;
            exchange = null;
            open.clientClosed();
        }
        releaseHeld();
        ctx.fireChannelInactive();
    }

    private void releaseHeld() {
        if (held != null) {
            Object msg;
            while ((msg = held.poll()) != null) {
                ReferenceCountUtil.release(msg);
            }
            held = null;
        }
    }
}
