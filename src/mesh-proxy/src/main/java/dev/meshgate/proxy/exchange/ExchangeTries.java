package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.proxy.http.ClientAddress;
import dev.meshgate.proxy.http.ProxyError;
import dev.meshgate.proxy.listener.ListenerContext;
import dev.meshgate.proxy.pool.UpstreamPool;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The tries of an {@link Exchange}, each through the stages a route's policy sets, in order: the
 * fault stage ({@link FaultInjection}, once per exchange), the circuit breaker's and bulkhead's
 * permits ({@link TryPermits}), the request and per-try deadlines ({@link ExchangeTimeouts}), then
 * the {@link Attempt}; and, when a try fails, the retry stage ({@link Retries}) that decides whether
 * the router is asked again, after the route's backoff.
 */
abstract class ExchangeTries extends ExchangeRequest implements AttemptListener {

    final Attempt attempt;
    final UpstreamPool pool;
    final ExchangeTimeouts timeouts;
    final Retries retries;
    final FaultInjection faults = new FaultInjection();
    MeshPolicy policy;
    /** An interim response (1xx) is passing: its final response follows on the same try. */
    boolean interimResponse;
    /** Set for an answer that tells the client when to come back ({@code Retry-After}), else 0. */
    long retryAfterSeconds;

    ExchangeTries(ListenerContext listener, Downstream downstream, ClientAddress client) {
        super(listener, downstream, client);
        EventLoop loop = downstream.eventLoop();
        this.pool = listener.upstreams().forLoop(loop);
        this.attempt = new Attempt(this, listener.settings().connectTimeout().toMillis());
        this.timeouts = new ExchangeTimeouts(this, loop);
        this.retries = new Retries(listener.clusters().retryBudgets(), recorder);
    }

    /** Answers the request with the proxy's own JSON error and {@code answer} as its status. */
    abstract void respondWithError(ProxyError error, HttpResponseStatus answer, String message, Object... fields);

    /** A new exchange: the policy snapshot it runs with, and no tries yet. */
    final void triesStarted() {
        policy = listener.policies().current();
        interimResponse = false;
        retryAfterSeconds = 0;
        retries.reset();
        faults.reset();
    }

    @Override
    final Attempt attempt() {
        return attempt;
    }

    /** The policy snapshot this exchange started with. */
    public final MeshPolicy policy() {
        return policy;
    }

    /** Sends the request to {@code destination}, bounded by {@code route}'s request and per-try timeouts. */
    public final void forward(Destination destination, RoutePolicy route) {
        this.route = route;
        this.destination = destination;
        // a caller's stage, as retries and permits are: the callee's node does not inject the same fault again
        if (route.fault() != null && destination.service() != null) {
            FaultKind fault = faults.next(route.fault(), request.headers());
            if (fault != null) {
                injectFault(fault);
                return;
            }
        }
        if (!permits.acquire(listener.clusters(), policy, destination, route)) {
            if (permits.refusedBy() != null) {
                recorder.bulkheadRejected(destination.service(), permits.refusedBy().key());
            }
            retryAfterSeconds = permits.retryAfterSeconds();
            respondWithError(permits.refusal(), permits.refusalMessage(), permits.refusalFields());
            return;
        }
        if (retries.tries() == 0 && route.retries() != null && route.retries().attempts() > 1 && replayable()) {
            replayBody.arm(route.retries().replayBodyLimit());
        }
        retries.tried(policy, route, destination);
        timeouts.tryStarted(route, startNanos);
        attempt.start(pool, destination, false);
    }

    /** The route's fault policy aborts the request with its status, or holds it for its delay, then routes it again. */
    private void injectFault(FaultKind fault) {
        String service = destination.service();
        recorder.faultInjected(service, fault);
        if (fault == FaultKind.ABORT) {
            int code = route.fault().abort().status();
            respondWithError(ProxyError.FAULT_INJECTED, HttpResponseStatus.valueOf(code), "route '" + route.name() + "' of "
                    + service + " injects an abort with " + code + " into this request (its fault policy)",
                    "service", service, "route", route.name());
            return;
        }
        destination = null;
        routeAgainAfter(route.fault().delayNanos());
    }

    /** The endpoint of this exchange's last failed try, which a router picks again only when it has no other. */
    public final InetSocketAddress failedEndpoint() {
        return retries.failed();
    }

    /**
     * Whether this failure of the current try takes another, for a replayable request received whole,
     * without a body or with its body kept (counted, and drawn from the budget, when it does).
     */
    final boolean takesAnotherTry(RetryOn failure) {
        return resendable() && !interimResponse && replayable() && destination != null
                && destination.service() != null && retries.again(route, failure, destination);
    }

    /**
     * The failed try is given up and the router asked again, after the route's backoff; it steps over
     * the failed endpoint where the service has another. The overall deadline keeps running meanwhile.
     */
    final void retryElsewhere() {
        timeouts.tryEnded();
        permits.release();
        attempt.finish(false);
        awaitingUpstream = true;
        destination = null;
        routeAgainAfter(retries.backoffNanos(route));
    }

    /** Asks the router again once {@code nanos} have passed, unless the exchange has ended meanwhile. */
    private void routeAgainAfter(long nanos) {
        if (nanos <= 0) {
            routeRequest();
            return;
        }
        int mine = id;
        downstream.eventLoop().schedule(() -> {
            if (awaitingRoute(mine)) {
                routeRequest();
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }
}
