package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.channel.EventLoop;

/**
 * An exchange's two deadlines, on its event loop: the route's request timeout, from the request's
 * head to the response's last byte, and the retry policy's per-try timeout, from a try's start to its
 * response head. Each answers with a 504 whose body names the timeout that fired (or cuts off a
 * response already streaming); a try that timed out is first offered to the retry stage, so a hung
 * endpoint costs the caller one per-try timeout, not the whole request's.
 */
final class ExchangeTimeouts {

    private final ExchangeTries exchange;
    private final DeadlineTimer request;
    private final DeadlineTimer perTry;

    ExchangeTimeouts(ExchangeTries exchange, EventLoop loop) {
        this.exchange = exchange;
        this.request = new DeadlineTimer(loop, this::requestTimeoutPassed);
        this.perTry = new DeadlineTimer(loop, this::tryTimeoutPassed);
    }

    /** A try of {@code route} starts; the request's deadline counts from its head, so routing and lookups spend it too. */
    void tryStarted(RoutePolicy route, long startNanos) {
        long timeout = route.requestTimeoutNanos();
        if (timeout > 0) {
            request.arm(timeout - (System.nanoTime() - startNanos));
        }
        long tryTimeout = route.retries() == null ? 0 : route.retries().perTryTimeoutNanos();
        if (tryTimeout > 0) {
            perTry.arm(tryTimeout);
        }
    }

    /** The try has its final response head, or is given up. */
    void tryEnded() {
        perTry.disarm();
    }

    void exchangeEnded() {
        request.disarm();
        perTry.disarm();
    }

    /** Disarms both and drops their pending tasks: the connection is gone. */
    void cancel() {
        request.cancel();
        perTry.cancel();
    }

    private void requestTimeoutPassed() {
        ExchangeTries ex = exchange;
        if (ex.gone || ex.request == null || ex.responseComplete()) {
            return;
        }
        ex.recorder.timedOut(TimeoutKind.REQUEST);
        long millis = ex.route.requestTimeout().toMillis();
        Destination at = ex.destination;
        if (ex.responseStarted()) {
            ex.recorder.error(ProxyError.UPSTREAM_TIMEOUT.code());
            ex.downstream.failed(ProxyError.UPSTREAM_TIMEOUT, at.describe()
                    + " did not finish its response within the request timeout of " + millis + " ms", true);
            ex.abortDownstream();
            return;
        }
        if (at != null) {
            ex.reportOutcome(ProxyError.UPSTREAM_TIMEOUT, 0);
        }
        ex.respondWithError(ProxyError.UPSTREAM_TIMEOUT, at == null
                        ? "the request was not answered within the request timeout of " + millis + " ms"
                        : at.describe() + " did not answer within the request timeout of " + millis + " ms",
                "service", at == null ? null : at.service(), "upstream", at == null ? null : at.upstream(),
                "timeout", TimeoutKind.REQUEST.tag(), "timeout_ms", millis);
    }

    private void tryTimeoutPassed() {
        ExchangeTries ex = exchange;
        Destination hung = ex.destination;
        if (ex.gone || ex.request == null || ex.responseStarted() || hung == null) {
            return;
        }
        ex.recorder.timedOut(TimeoutKind.PER_TRY);
        ex.reportOutcome(ProxyError.UPSTREAM_TIMEOUT, 0);
        if (ex.takesAnotherTry(RetryOn.PER_TRY_TIMEOUT)) {
            ex.retryElsewhere();
            return;
        }
        long millis = ex.route.retries().perTryTimeout().toMillis();
        ex.respondWithError(ProxyError.UPSTREAM_TIMEOUT, hung.describe() + " did not answer within the per-try timeout of "
                        + millis + " ms", "service", hung.service(), "upstream", hung.upstream(),
                "timeout", TimeoutKind.PER_TRY.tag(), "timeout_ms", millis);
    }
}
