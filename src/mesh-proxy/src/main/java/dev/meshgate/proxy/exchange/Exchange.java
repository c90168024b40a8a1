package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.proxy.http.ClientAddress;
import dev.meshgate.proxy.http.ErrorResponses;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.listener.ListenerContext;
import dev.meshgate.proxy.pool.UpstreamPool;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One client request and its response, from the request's head to whichever of the two ends last:
 * the policy snapshot it started with, its route's deadline, and its {@link Attempt}. The stack's
 * {@link Router} decides where it goes; the exchange carries the request to the attempt and the
 * response to its {@link Downstream}, streaming both ways with backpressure, never aggregated.
 *
 * <p>A connection's successive exchanges reuse one instance ({@link #id} tells them apart), so serving
 * a request allocates nothing here. The request-side helpers live in {@link ExchangeRequest}.
 */
public final class Exchange extends ExchangeRequest implements AttemptListener {

    private final Attempt attempt;
    private final UpstreamPool pool;
    private final ExchangeTimeouts timeouts;
    private final boolean meshHop;
    private final Retries retries;
    private MeshPolicy policy;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean interimResponse;
    private boolean upstreamReusable;
    private boolean closeAfterResponse;
    private boolean resent;
    private boolean downstreamFlushPending;
    private int status;
    /** Set for an answer that tells the client when to come back ({@code Retry-After}), else 0. */
    private long retryAfterSeconds;

    public Exchange(ListenerContext listener, Downstream downstream, ClientAddress client) {
        super(listener, downstream, client);
        EventLoop loop = downstream.eventLoop();
        this.pool = listener.upstreams().forLoop(loop);
        this.attempt = new Attempt(this, listener.settings().connectTimeout().toMillis());
        this.timeouts = new ExchangeTimeouts(this, loop);
        this.retries = new Retries(listener.clusters().retryBudgets(), recorder);
        this.meshHop = listener.forwarding().meshHop();
    }

    // ---- for routers ----

    /** The policy snapshot this exchange started with. */
    public MeshPolicy policy() {
        return policy;
    }

    /** Sends the request to {@code destination}, bounded by {@code route}'s request and per-try timeouts. */
    public void forward(Destination destination, RoutePolicy route) {
        this.route = route;
        this.destination = destination;
        if (!permits.acquire(listener.clusters(), policy, destination, route)) {
            retryAfterSeconds = permits.retryAfterSeconds();
            respondWithError(permits.refusal(), permits.refusalMessage(), permits.refusalFields());
            return;
        }
        retries.tried(policy, route, destination);
        timeouts.tryStarted(route, startNanos);
        attempt.start(pool, destination, false);
    }

    /** The endpoint of this exchange's last failed try, which a router picks again only when it has no other. */
    public InetSocketAddress failedEndpoint() {
        return retries.failed();
    }

    /** Answers the request with the proxy's own JSON error. */
    public void reject(ProxyError error, String message, Object... fields) {
        respondWithError(error, message, fields);
    }

    // ---- request side ----

    @Override
    void started(HttpRequest next, Router router) {
        policy = listener.policies().current();
        responseStarted = false;
        responseComplete = false;
        interimResponse = false;
        upstreamReusable = false;
        closeAfterResponse = false;
        resent = false;
        status = 0;
        retryAfterSeconds = 0;
        retries.reset();
        if (prepareHead(next, meshHop)) {
            routeRequest();
        }
    }

    @Override
    Attempt attempt() {
        return attempt;
    }

    @Override
    boolean responseComplete() {
        return responseComplete;
    }

    @Override
    boolean responseStarted() {
        return responseStarted;
    }

    /** The downstream can take more of the response again. */
    public void downstreamWritable() {
        attempt.resumeReading();
    }

    /** The downstream connection (or stream) is gone: whatever is in flight is abandoned. */
    public void downstreamClosed() {
        boolean byClient = !gone;
        gone = true;
        timeouts.cancel();
        permits.release();
        releasePending();
        if (request != null) {
            if (byClient && !responseComplete) {
                recorder.error("client_closed");
            }
            record(responseStarted ? status : 0);
            attempt.finish(false);
            request = null;
        }
    }

    // ---- the attempt's reports ----

    @Override
    public void attemptReady(Attempt ready) {
        if (gone || request == null || !awaitingUpstream) {
            ready.finish(true);
            return;
        }
        bind();
    }

    @Override
    public void attemptFailed(Attempt failed, ProxyError error, String message, Object... fields) {
        if (!gone && request != null && awaitingUpstream) {
            if (error != ProxyError.OVERLOADED) {
                reportOutcome(error, 0);
            }
            if (error == ProxyError.UPSTREAM_CONNECT_TIMEOUT) {
                recorder.timedOut(TimeoutKind.CONNECT);
            }
            // nothing reached the upstream, whatever the method: the router picks another endpoint (the
            // local app, a destination of no service, has none)
            if (error != ProxyError.OVERLOADED && destination.service() != null
                    && retries.again(route, RetryOn.CONNECT_FAILURE, destination)) {
                retryElsewhere();
                return;
            }
            respondWithError(error, message, fields);
        }
    }

    @Override
    public void attemptResponse(Attempt from, HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            Throwable cause = response.decoderResult().cause();
            ReferenceCountUtil.release(response);
            upstreamBroken(destination.describe() + " sent a malformed response: " + cause.getMessage());
            return;
        }
        if (response.status().code() < 200) {
            // interim (100 Continue, 103 Early Hints): the final response follows on the same exchange
            interimResponse = true;
            if (!clientHttp10) {
                ResponseHeads.prepareInterim(response);
                downstream.write(response);
                downstreamFlushPending = true;
            } else {
                ReferenceCountUtil.release(response);
            }
            return;
        }
        int code = response.status().code();
        if (code >= 502 && code <= 504 && takesAnotherTry(RetryOn.GATEWAY_ERROR)) {
            // the head is still ours: the answer is dropped with its connection, another endpoint is asked
            reportOutcome(null, code);
            ReferenceCountUtil.release(response);
            retryElsewhere();
            return;
        }
        commitResponse(response);
    }

    /**
     * The head is final: it goes to the client. Until here nothing of the response has left, so a
     * stage that retries on a status decides before this point.
     */
    private void commitResponse(HttpResponse response) {
        status = response.status().code();
        timeouts.tryEnded();
        reportOutcome(null, status);
        responseStarted = true;
        int framing = ResponseHeads.prepare(response, headRequest, clientHttp10, clientKeepAlive && !shuttingDown, meshHop);
        upstreamReusable = (framing & ResponseHeads.UPSTREAM_REUSABLE) != 0;
        closeAfterResponse = (framing & ResponseHeads.CLOSE_AFTER) != 0;
        if (retries.tries() > 1) {
            response.headers().setInt(Retries.ATTEMPTS_HEADER, retries.tries());
        }
        downstream.write(response);
        downstreamFlushPending = true;
    }

    @Override
    public void attemptContent(Attempt from, HttpContent content) {
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
                attemptReadComplete(from);
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
            attempt.pauseReading();
            downstreamFlushPending = false;
            downstream.flush();
        }
    }

    @Override
    public void attemptReadComplete(Attempt from) {
        if (downstreamFlushPending) {
            downstreamFlushPending = false;
            downstream.flush();
        }
    }

    @Override
    public void attemptWritable(Attempt from) {
        upstreamWritable();
    }

    @Override
    public void attemptClosed(Attempt from, boolean unprocessed, boolean refused, Throwable cause) {
        upstreamWritable();
        if (responseStarted) {
            // the status line has been sent: only closing the connection tells the client
            recorder.error("upstream_aborted");
            downstream.failed(ProxyError.UPSTREAM_RESET, destination.describe() + " closed the connection before the response ended", true);
            abortDownstream();
            return;
        }
        if (!refused) {
            reportOutcome(ProxyError.UPSTREAM_RESET, 0);
        }
        RetryOn reason = refused ? RetryOn.REFUSED_STREAM : RetryOn.RESET;
        // a refused stream was never processed; else only a request that may go twice, its (empty) body all here
        boolean sendable = requestComplete && !requestHasBody && !interimResponse && (refused || replayable());
        // a stale reused connection or refused stream: once more to the same endpoint, on a fresh connection;
        // any other reset: to another endpoint of the service (the local app has no other)
        if (sendable && unprocessed && !resent && retries.resend(route, reason, destination)) {
            // the same try on a fresh connection: if that cannot connect, a retry may still go elsewhere
            resent = true;
            awaitingUpstream = true;
            attempt.start(pool, destination, true);
            return;
        }
        if (sendable && !unprocessed && destination.service() != null && retries.again(route, reason, destination)) {
            retryElsewhere();
            return;
        }
        respondWithError(ProxyError.UPSTREAM_RESET,
                destination.describe() + " closed the connection before answering"
                        + (cause == null ? "" : " (" + cause.getMessage() + ")")
                        + (unprocessed && !refused && !replayable() ? "; a " + request.method()
                        + " is not sent again, it may have been processed" : ""),
                "service", destination.service(), "upstream", destination.upstream());
    }

    /**
     * Whether this failure of the current try takes another, for a replayable request without a body
     * that has all gone out (counted, and drawn from the budget, when it does).
     */
    boolean takesAnotherTry(RetryOn failure) {
        return requestComplete && !requestHasBody && !interimResponse && replayable() && destination != null
                && destination.service() != null && retries.again(route, failure, destination);
    }

    /**
     * The failed try is given up and the router asked again, after the route's backoff; it steps over
     * the failed endpoint where the service has another. The overall deadline keeps running meanwhile.
     */
    void retryElsewhere() {
        timeouts.tryEnded();
        permits.release();
        attempt.finish(false);
        awaitingUpstream = true;
        destination = null;
        long wait = retries.backoffNanos(route);
        if (wait <= 0) {
            routeRequest();
            return;
        }
        int mine = id;
        downstream.eventLoop().schedule(() -> {
            if (awaitingRoute(mine)) {
                routeRequest();
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    /** The upstream broke the protocol: a 502 if nothing was sent yet, otherwise the client is cut off. */
    private void upstreamBroken(String message) {
        attempt.finish(false);
        if (!responseStarted) {
            respondWithError(ProxyError.UPSTREAM_BAD_RESPONSE, message,
                    "service", destination.service(), "upstream", destination.upstream());
        } else {
            recorder.error(ProxyError.UPSTREAM_BAD_RESPONSE.code());
            downstream.failed(ProxyError.UPSTREAM_BAD_RESPONSE, message, true);
            abortDownstream();
        }
    }

    // ---- completing the exchange ----

    @Override
    void respondWithError(ProxyError error, String message, Object... fields) {
        recorder.error(error.code());
        downstream.failed(error, message, false);
        timeouts.tryEnded();
        permits.release();
        awaitingUpstream = false;
        releasePending();
        attempt.finish(false);
        status = error.status().code();
        responseStarted = true;
        interimResponse = false;
        closeAfterResponse = !clientKeepAlive || shuttingDown;
        FullHttpResponse response = ErrorResponses.response(downstream.alloc(), error,
                ErrorResponses.json(error, message, fields, downstream.errorContext()), headRequest,
                closeAfterResponse, clientHttp10, meshHop);
        if (retryAfterSeconds > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        writeLast(response, closeAfterResponse);
        onResponseComplete();
    }

    private void writeLast(Object last, boolean close) {
        downstreamFlushPending = false;
        downstream.writeLast(last, close);
    }

    private void onResponseComplete() {
        responseComplete = true;
        timeouts.exchangeEnded();
        permits.release();
        record(status);
        // an upstream that answered before the whole request reached it is in an unknown state
        attempt.finish(upstreamReusable && requestComplete);
        upstreamWritable();
        if (requestComplete) {
            finish();
        }
        // otherwise the rest of the request body is read and dropped, then finish()
    }

    @Override
    void abortDownstream() {
        timeouts.exchangeEnded();
        permits.release();
        record(status);
        attempt.finish(false);
        super.abortDownstream();
    }
}
