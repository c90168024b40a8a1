package dev.meshgate.gateway.fastpath;

import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.core.trace.TraceContext;
import dev.meshgate.proxy.exchange.Destination;
import dev.meshgate.proxy.exchange.Downstream;
import dev.meshgate.proxy.exchange.Exchange;
import dev.meshgate.proxy.exchange.Router;
import dev.meshgate.proxy.http.ClientAddress;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * Sits on each client connection between the HTTP codec and Reactor Netty's HTTP handling. A request
 * for a {@link FastRoute} is handed to the mesh's engine here, as an {@link Exchange} whose downstream
 * and router this connection is: the engine's pools, attempts, timeouts, header rules and error
 * answers, with Gateway's meters and spans recorded by {@link FastExchangeTelemetry}. Every other
 * message goes on to Reactor Netty and Gateway's filter chain untouched. Exchanges stay in order: a
 * request is taken only when no response of Gateway's is outstanding on the connection, and requests
 * pipelined behind a fast exchange are held (reading paused) until it completes.
 */
final class FastPathHandler extends ChannelDuplexHandler implements Downstream, Router {

    static final String NAME = "meshgate.fastPath";
    private static final Logger log = LoggerFactory.getLogger(FastPathHandler.class);
    private static final String HTTP2_SETTINGS = "http2-settings";

    private final FastPath fastPath;
    private final FastExchangeTelemetry telemetry;
    private ChannelHandlerContext ctx;
    /** Created with the connection's first fast request, then reused. */
    private Exchange exchange;
    /** The exchange in flight is ours: until the engine says it is finished. */
    private boolean fastActive;
    /** The body of our exchange's request is still arriving. */
    private boolean fastBodyOpen;
    private boolean gatewayBodyOpen;
    private int gatewayInFlight;
    /** Messages read behind our exchange, in order; bounded by one read since reading pauses. */
    private ArrayDeque<Object> held;
    private boolean pausedByExchange;
    private boolean closing;
    private boolean interim;
    private long requests;
    // the current fast exchange, for its router and error bodies
    private FastRoute route;
    private Destination destination;
    private String upstreamPath;
    private String clientPath;
    private long requestNumber;

    FastPathHandler(FastPath fastPath) {
        this.fastPath = fastPath;
        this.telemetry = new FastExchangeTelemetry(fastPath.metrics());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (held != null || fastActive && !(msg instanceof HttpContent && fastBodyOpen)) {
            hold(msg);
        } else if (fastActive) {
            HttpContent content = (HttpContent) msg;
            if (content instanceof LastHttpContent) {
                fastBodyOpen = false;
            }
            exchange.content(content);
        } else if (gatewayBodyOpen) {
            gatewayBodyOpen = !(msg instanceof LastHttpContent);
            ctx.fireChannelRead(msg);
        } else if (msg instanceof HttpRequest request) {
            route(request);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void route(HttpRequest request) {
        requests++;
        if (gatewayInFlight > 0) {
            toGateway(request);
            return;
        }
        FastRoute fast = FastRequests.eligible(request) ? fastPath.table().lookup(request.uri()) : null;
        if (fast == null) {
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
        Destination chosen = fastPath.destination(fast, null);
        if (chosen == null) {
            // no instance: Gateway's load balancer answers (503 from UpstreamFailureHandler)
            toGateway(request, recorded && caller == null);
            return;
        }
        String uri = request.uri();
        String target = fast.target(uri);
        clientPath = FastRequests.pathOf(uri);
        upstreamPath = FastRequests.pathOf(target);
        RecordedSpans spans = null;
        TraceContext span;
        if (recorded) {
            spans = RecordedSpans.start(fastPath.tracer(), request.method(), clientPath, caller, fast, FastRequests.requestUrl(ctx, headers, target));
            span = spans.upstreamContext();
        } else {
            // an unrecorded span of this hop
            span = caller != null ? caller.child() : TraceContext.newTrace(false);
        }
        headers.remove(HTTP2_SETTINGS);
        headers.set(HttpHeaderNames.HOST, FastRequests.upstreamHost(chosen));
        // sent as W3C traceparent and single-header B3, as Gateway's tracing does
        headers.set(TraceContext.TRACEPARENT, span.traceparent());
        headers.set(FastRequests.B3, span.b3());
        request.setUri(target);
        route = fast;
        destination = chosen;
        requestNumber = requests;
        interim = false;
        telemetry.started(fast, request.method(), spans);
        fastPath.countForwarded();
        fastActive = true;
        fastBodyOpen = true;
        if (exchange == null) {
            exchange = new Exchange(fastPath.engine().listener(ctx.channel()), this,
                    ClientAddress.of(ctx.channel().remoteAddress()));
        }
        exchange.start(request, this);
    }

    /** The engine's routing step: the endpoint is chosen already, the service's policy picks the route. */
    @Override
    public void route(Exchange routed, HttpRequest request) {
        if (routed.failedEndpoint() != null) {
            // a retry: another endpoint of the route's service, where one exists
            Destination other = fastPath.destination(route, routed.failedEndpoint());
            if (other != null) {
                destination = other;
                request.headers().set(HttpHeaderNames.HOST, FastRequests.upstreamHost(other));
            }
        }
        RoutePolicy policy = routed.policy().service(destination.service()).route(request.method().name(), upstreamPath);
        routed.forward(destination, policy);
    }

    @Override
    public boolean outcome(Destination at, ProxyError error, int status) {
        return fastPath.outcome(at, error, status);
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
        gatewayBodyOpen = !(request instanceof LastHttpContent);
        ctx.fireChannelRead(request);
    }

    private void hold(Object msg) {
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        held.add(msg);
    }

    /** Takes the held messages in order, for as long as they can be taken. */
    private void takeHeld() {
        ArrayDeque<Object> replay = held;
        held = null;
        Object msg;
        while ((msg = replay.poll()) != null) {
            if (held != null || closing) {
                // held again behind a new fast exchange (or closed): the rest waits with it
                if (closing) {
                    ReferenceCountUtil.release(msg);
                } else {
                    held.add(msg);
                }
                continue;
            }
            channelRead(ctx, msg);
        }
    }

    /**
     * Reactor Netty's connections read on demand (auto-read off): the fast path asks for each read
     * itself while it owns the connection, unless the engine has paused it or messages are held.
     */
    private void readMore() {
        if (!pausedByExchange && held == null && !closing && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (fastActive) {
            exchange.readComplete();
            if (fastBodyOpen) {
                // the rest of a request body the engine owns
                readMore();
            }
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
        if (fastActive && ctx.channel().isWritable()) {
            exchange.downstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseHeld();
        if (fastActive) {
            fastActive = false;
            telemetry.abandoned();
            exchange.downstreamClosed();
        }
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

    // ---- Downstream: the engine's view of this connection ----

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
        if (message instanceof HttpResponse head) {
            // Gateway's client drops interim responses (103 Early Hints): so does the edge
            interim = head.status().code() < 200;
            if (interim) {
                ReferenceCountUtil.release(message);
                return;
            }
            telemetry.responseHead(head.status().code());
        } else if (interim) {
            interim = !(message instanceof LastHttpContent);
            ReferenceCountUtil.release(message);
            return;
        }
        ctx.write(message, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void writeLast(Object message, boolean close) {
        telemetry.answered();
        if (close) {
            closing = true;
            releaseHeld();
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
        pausedByExchange = true;
    }

    @Override
    public void resumeReading() {
        pausedByExchange = false;
        if (fastActive && fastBodyOpen) {
            readMore();
        }
    }

    @Override
    public void abort() {
        closing = true;
        releaseHeld();
        ctx.flush();
        ctx.close();
    }

    @Override
    public void exchangeFinished() {
        fastActive = false;
        fastBodyOpen = false;
        pausedByExchange = false;
        if (held != null) {
            takeHeld();
        }
        if (!fastActive && !gatewayBodyOpen && gatewayInFlight == 0) {
            // the next request on this connection: Reactor Netty asks for it only after its own exchanges
            readMore();
        }
    }

    @Override
    public void failed(ProxyError error, String message, boolean cutOff) {
        log.warn("{} {} on route {}: {}", error.status().code(), clientPath, route.id(), message);
        telemetry.failed(error, message, cutOff);
    }

    /** Gateway's error bodies name the client's path and Reactor Netty's request id: so do the engine's here. */
    @Override
    public Object[] errorContext() {
        return new Object[] {"path", clientPath, "requestId", ctx.channel().id().asShortText() + "-" + requestNumber};
    }
}
