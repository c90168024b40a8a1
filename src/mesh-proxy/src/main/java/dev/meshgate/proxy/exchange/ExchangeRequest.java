package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.Replay;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.proxy.cluster.CallerCaps;
import dev.meshgate.proxy.http.ClientAddress;
import dev.meshgate.proxy.http.ForwardingHeaders;
import dev.meshgate.proxy.http.HopByHopHeaders;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.listener.ListenerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * The request side of an {@link Exchange}: the request's head and its body on their way to the
 * attempt and its routing (again for a retry). Body chunks that arrive before the attempt has its upstream wait here, and reading from
 * the downstream pauses meanwhile (at most one read's worth waits); a body the upstream cannot take
 * fast enough pauses it too.
 */
abstract class ExchangeRequest {

    private static final Logger log = LoggerFactory.getLogger(ExchangeRequest.class);

    private static final int PAUSED_AWAITING_UPSTREAM = 1;
    private static final int PAUSED_UPSTREAM_FULL = 2;

    final ListenerContext listener;
    final ExchangeRecorder recorder;
    final Downstream downstream;
    final ClientAddress client;

    /** Null between exchanges. */
    HttpRequest request;
    int id;
    Destination destination;
    /** Decides where the request goes, for its first try and for a retry. */
    Router router;
    /** The policy route the router chose; its deadline and retries bound the exchange. */
    RoutePolicy route;
    long startNanos;
    /** The downstream is gone: nothing more is written to it. */
    boolean gone;
    boolean shuttingDown;
    /** The attempt is being routed or connected: body chunks wait in {@link #pending}. */
    boolean awaitingUpstream;
    boolean clientKeepAlive;
    boolean clientHttp10;
    boolean headRequest;
    boolean requestComplete;
    boolean requestHasBody;
    private boolean routing;
    private boolean upstreamFlushPending;
    private boolean recorded;
    private int pauseReasons;
    /** The current try's circuit breaker and bulkhead permits. */
    final TryPermits permits = new TryPermits();
    /** The body sent so far, kept for a retry where the route allows one. */
    final ReplayBody replayBody = new ReplayBody();
    /** The caller's place under its cap on the inbound side, held until the exchange ends. */
    private CallerCaps.Permit callerPermit;
    private ArrayDeque<HttpContent> pending;

    ExchangeRequest(ListenerContext listener, Downstream downstream, ClientAddress client) {
        this.listener = listener;
        this.recorder = listener.recorder();
        this.downstream = downstream;
        this.client = client;
        this.shuttingDown = listener.draining();
    }

    /** The head is in place and counted: route it with {@code router}. */
    abstract void started(HttpRequest next, Router router);

    abstract Attempt attempt();

    abstract boolean responseStarted();

    abstract boolean responseComplete();

    abstract void respondWithError(ProxyError error, String message, Object... fields);

    /** True while exchange {@code id} is still waiting for its route on a live downstream. */
    public final boolean awaitingRoute(int id) {
        return !gone && request != null && id == this.id && awaitingUpstream && destination == null;
    }

    public final EventLoop eventLoop() {
        return downstream.eventLoop();
    }

    /** True while a request is in flight: a connection takes its next request only after. */
    public final boolean active() {
        return request != null;
    }

    /** The data plane is shutting down: the response of the exchange in flight says the connection closes. */
    public final void drain() {
        shuttingDown = true;
    }

    /** Whether the request may be sent twice: core.policy.Replay's rule, or a route that opts any method in. */
    final boolean replayable() {
        return Replay.replayable(request.method().name(), request.headers().contains(Replay.IDEMPOTENCY_KEY))
                || (route != null && route.retries() != null && route.retries().nonIdempotent());
    }

    /** Whether the request, all of it received, can go out again whole: no body, or its body kept. */
    final boolean resendable() {
        return requestComplete && (!requestHasBody || replayBody.intact());
    }

    /** The router admitted this exchange under its caller's cap: the place is given back when the exchange ends. */
    public final void holdUntilEnd(CallerCaps.Permit permit) {
        releaseCallerPermit();
        callerPermit = permit;
    }

    final void releaseCallerPermit() {
        CallerCaps.Permit held = callerPermit;
        if (held != null) {
            callerPermit = null;
            held.release();
        }
    }

    /** The address the request came from. */
    public final String clientIp() {
        return client.ip();
    }

    /** Identifies the current exchange, for routing decisions completed later. */
    public final int id() {
        return id;
    }

    /** A new request's head, routed by the listener's router; only while no exchange is {@code active}. */
    public final void start(HttpRequest next) {
        start(next, listener.router());
    }

    /**
     * A new request's head, routed by {@code router}: a downstream that has already decided where the
     * request goes (the gateway's routes) routes it itself.
     */
    public final void start(HttpRequest next, Router router) {
        if (next.decoderResult().isFailure()) {
            MalformedRequests.reject(next, listener, downstream);
            return;
        }
        request = next;
        id++;
        startNanos = recorder.started();
        recorded = false;
        destination = null;
        clientHttp10 = HttpVersion.HTTP_1_0.equals(next.protocolVersion());
        clientKeepAlive = HttpUtil.isKeepAlive(next);
        headRequest = HttpMethod.HEAD.equals(next.method());
        requestComplete = false;
        requestHasBody = false;
        upstreamFlushPending = false;
        awaitingUpstream = true;
        this.router = router;
        route = null;
        routing = true;
        try {
            started(next, router);
        } finally {
            routing = false;
        }
    }

    /** A body chunk (or the end) of the current request. */
    public final void content(HttpContent content) {
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
        if (awaitingUpstream) {
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            pending.add(content);
            pause(PAUSED_AWAITING_UPSTREAM);
            return;
        }
        Attempt attempt = attempt();
        if (!attempt.bound()) {
            // answered already (an error, or an upstream that responded early): the rest is dropped
            content.release();
            if (last) {
                requestComplete = true;
                if (responseComplete()) {
                    finish();
                }
            }
            return;
        }
        sendContent(attempt, content, last);
    }

    private void sendContent(Attempt attempt, HttpContent content, boolean last) {
        replayBody.keep(content);
        if (last) {
            requestComplete = true;
            upstreamFlushPending = false;
            attempt.write(content);
            attempt.flush();
            return;
        }
        attempt.write(content);
        upstreamFlushPending = true;
        if (!attempt.isWritable()) {
            pause(PAUSED_UPSTREAM_FULL);
            upstreamFlushPending = false;
            attempt.flush();
        }
    }

    /** The end of a batch of request messages: what was written upstream goes out together. */
    public final void readComplete() {
        if (upstreamFlushPending) {
            upstreamFlushPending = false;
            Attempt attempt = attempt();
            if (attempt.bound()) {
                attempt.flush();
            }
        }
    }

    /** The attempt has its upstream: the head, then whatever of the body has arrived, go out. */
    final void bind() {
        awaitingUpstream = false;
        Attempt attempt = attempt();
        attempt.write(request);
        if (replayBody.replayTo(attempt)) {
            // a retry: the whole body, kept from the try before
            attempt.flush();
            return;
        }
        if (requestComplete && pending == null) {
            // a resend of a request without a body: all of it was taken before
            attempt.write(LastHttpContent.EMPTY_LAST_CONTENT);
            attempt.flush();
            return;
        }
        upstreamFlushPending = true;
        HttpContent next;
        while (pending != null && (next = pending.poll()) != null) {
            sendContent(attempt, next, next instanceof LastHttpContent);
        }
        pending = null;
        resume(PAUSED_AWAITING_UPSTREAM);
        if (upstreamFlushPending && !routing) {
            // connected later, outside a read: nothing else will flush it
            upstreamFlushPending = false;
            attempt.flush();
        }
    }

    /** Drops body chunks that waited for an upstream that will not come; notes the request's end among them. */
    final void releasePending() {
        if (pending != null) {
            HttpContent next;
            while ((next = pending.poll()) != null) {
                if (next instanceof LastHttpContent) {
                    requestComplete = true;
                }
                next.release();
            }
            pending = null;
        }
        resume(PAUSED_AWAITING_UPSTREAM);
    }

    final void upstreamWritable() {
        resume(PAUSED_UPSTREAM_FULL);
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
        if (pauseReasons == 0 && !gone) {
            downstream.resumeReading();
        }
    }

    private void requestBodyMalformed(Throwable cause) {
        String message = "malformed request body: " + (cause == null ? "unknown decoding error" : cause.getMessage());
        if (!responseStarted()) {
            clientKeepAlive = false;
            respondWithError(ProxyError.BAD_REQUEST, message);
        } else {
            recorder.error(ProxyError.BAD_REQUEST.code());
            abortDownstream();
        }
    }

    final void record(int sentStatus) {
        if (!recorded) {
            recorded = true;
            recorder.finished(sentStatus, startNanos);
        }
    }

    /** Cuts the client off mid-response. */
    void abortDownstream() {
        gone = true;
        replayBody.release();
        releaseCallerPermit();
        releasePending();
        downstream.abort();
    }

    /** Request and response are both complete: the downstream may go on. */
    final void finish() {
        replayBody.release();
        releaseCallerPermit();
        request = null;
        destination = null;
        awaitingUpstream = false;
        downstream.exchangeFinished();
    }

    /**
     * Readies the head for the upstream: hop-by-hop headers out, a mesh hop's forwarding and trace
     * headers in, HTTP/1.1 keep-alive whatever the client spoke (the upstream connection is ours).
     * False when the request is answered here instead (a CONNECT).
     */
    final boolean prepareHead(HttpRequest next, boolean meshHop) {
        HttpHeaders headers = next.headers();
        HopByHopHeaders.strip(headers);
        if (meshHop) {
            ForwardingHeaders.appendHop(headers, client, listener.security().protocol());
            ForwardingHeaders.continueTrace(headers);
        }
        next.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (HttpMethod.CONNECT.equals(next.method())) {
            respondWithError(ProxyError.METHOD_NOT_SUPPORTED, "CONNECT tunnels are not supported by the "
                    + listener.name() + " listener: send plain HTTP requests, e.g. GET http://<service>/path",
                    "method", "CONNECT");
            return false;
        }
        return true;
    }

    /** Asks the router where the request goes: for its first try, and again for a retry. */
    final void routeRequest() {
        int mine = id;
        try {
            router.route((Exchange) this, request);
        } catch (RuntimeException e) {
            log.warn("routing {} {} failed", request.method(), request.uri(), e);
            if (awaitingRoute(mine)) {
                respondWithError(ProxyError.INTERNAL_ERROR, "the proxy could not route the request: " + e);
            }
        }
    }

    /** Tells the router and the try's circuit breaker how the try fared; counts an ejection it caused. */
    final void reportOutcome(ProxyError error, int answered) {
        permits.settle(error != null || answered >= 500);
        if (router.outcome(destination, error, answered)) {
            recorder.ejected(destination.service());
        }
    }
}
