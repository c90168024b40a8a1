package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.proxy.http.ClientAddress;
import dev.meshgate.proxy.http.ErrorResponses;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.listener.ListenerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One client request and its response, from the request's head to whichever of the two ends last:
 * the policy snapshot it started with, its route's deadline, and its {@link Attempt}. The stack's
 * {@link Router} decides where it goes; the exchange carries the request to the attempt and the
 * response to its {@link Downstream}, streaming both ways with backpressure, never aggregated.
 *
 * <p>A connection's successive exchanges reuse one instance ({@link #id} tells them apart), so serving
 * a request allocates nothing here. The request side lives in {@link ExchangeRequest}, each try's
 * stages (faults, permits, timeouts, retries) in {@link ExchangeTries}; this class is the response side.
 */
public final class Exchange extends ExchangeTries {

    private final boolean meshHop;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean upstreamReusable;
    private boolean closeAfterResponse;
    private boolean resent;
    private boolean downstreamFlushPending;
    private int status;

    public Exchange(ListenerContext listener, Downstream downstream, ClientAddress client) {
        super(listener, downstream, client);
        this.meshHop = listener.forwarding().meshHop();
    }

    // ---- for routers ----

    /** Answers the request with the proxy's own JSON error. */
    public void reject(ProxyError error, String message, Object... fields) {
        respondWithError(error, message, fields);
    }

    // ---- request side ----

    @Override
    void started(HttpRequest next, Router router) {
        triesStarted();
        responseStarted = false;
        responseComplete = false;
        upstreamReusable = false;
        closeAfterResponse = false;
        resent = false;
        status = 0;
        if (prepareHead(next, meshHop)) {
            routeRequest();
        }
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
        replayBody.release();
        releaseCallerPermit();
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
        RetryOn failure = code >= 400 ? Retries.onStatus(route, code) : null;
        if (failure != null && takesAnotherTry(failure)) {
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
        // nothing is tried again from here on
        replayBody.release();
        int framing = ResponseHeads.prepare(response, headRequest, clientHttp10, clientKeepAlive && !shuttingDown, meshHop);
        upstreamReusable = (framing & ResponseHeads.UPSTREAM_REUSABLE) != 0;
        closeAfterResponse = (framing & ResponseHeads.CLOSE_AFTER) != 0;
        if (retries.tries() > 1) {
            response.headers().setInt(Retries.ATTEMPTS_HEADER, retries.tries());
        }
        if (faults.marker() != null) {
            response.headers().set(FaultInjection.HEADER, faults.marker());
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
        // a refused stream was never processed; else only a request that may go twice, its body (if any) kept
        boolean sendable = resendable() && !interimResponse && (refused || replayable());
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
        respondWithError(error, error.status(), message, fields);
    }

    @Override
    void respondWithError(ProxyError error, HttpResponseStatus answer, String message, Object... fields) {
        recorder.error(error.code());
        downstream.failed(error, message, false);
        timeouts.tryEnded();
        permits.release();
        replayBody.release();
        awaitingUpstream = false;
        releasePending();
        attempt.finish(false);
        status = answer.code();
        responseStarted = true;
        interimResponse = false;
        closeAfterResponse = !clientKeepAlive || shuttingDown;
        FullHttpResponse response = ErrorResponses.response(downstream.alloc(), answer,
                ErrorResponses.json(error, answer, message, fields, downstream.errorContext()), headRequest,
                closeAfterResponse, clientHttp10, meshHop);
        if (retryAfterSeconds > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        if (faults.marker() != null) {
            response.headers().set(FaultInjection.HEADER, faults.marker());
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
