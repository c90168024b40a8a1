package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.BulkheadPolicy;
import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.proxy.cluster.Bulkheads;
import dev.meshgate.proxy.cluster.CircuitBreakers;
import dev.meshgate.proxy.cluster.ClusterState;
import dev.meshgate.proxy.http.ProxyError;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.util.concurrent.TimeUnit;

/**
 * The permits a try needs before it starts, per the service's policy: its circuit breaker's and its
 * bulkhead's. The breaker's permit is settled with the try's outcome and duration at its response
 * head (so a slow call is one slow to answer); the bulkhead's is held until the response's last byte.
 * A try that ends with nothing to say about the upstream (the client left, the proxy's own cap) hands
 * its breaker permit back unsettled, so a half-open breaker's few trial calls are never lost.
 */
final class TryPermits {

    /** What a failed try records: the breaker counts it, no stack trace is wanted. */
    private static final Exception TRY_FAILED = new Exception("the try failed", null, false, false) {
    };

    private CircuitBreaker breaker;
    private long sinceNanos;
    private final Bulkheads.Permit bulkhead = new Bulkheads.Permit();
    private ProxyError refusal;
    private String refusalMessage;
    private Object[] refusalFields;
    private long retryAfterSeconds;
    private Bulkheads.Cap refusedBy;

    /** Takes the try's permits; false when one refuses, and {@link #refusal} says why. */
    boolean acquire(ClusterState clusters, MeshPolicy policy, Destination to, RoutePolicy route) {
        release();
        String service = to.service();
        if (service == null) {
            return true;
        }
        if (route.circuitBreaker() != null && !acquireBreaker(clusters.circuitBreakers(), policy.service(service), service, route)) {
            return false;
        }
        // the lookup only where some service has a bulkhead: the common request pays nothing
        BulkheadPolicy caps = policy.hasBulkheads() ? policy.service(service).bulkhead() : null;
        if (caps != null && caps.capsCallers()) {
            Bulkheads.Cap over = clusters.bulkheads().admit(service, to.address(), caps, bulkhead);
            if (over != null) {
                release();
                refusedBy = over;
                int cap = over.of(caps);
                refuse(ProxyError.OVERLOADED, 0, to.describe() + " is not tried: " + cap + " requests are in flight to "
                        + (over == Bulkheads.Cap.MAX_REQUESTS ? service : "this endpoint") + ", its bulkhead's " + over.key(),
                        "service", service, "limit", over.key(), "cap", cap);
                return false;
            }
        }
        return true;
    }

    private boolean acquireBreaker(CircuitBreakers breakers, ServicePolicy servicePolicy, String service, RoutePolicy route) {
        String name = servicePolicy.breakerName(service, route);
        CircuitBreaker named = breakers.breaker(name, route.circuitBreaker());
        if (!named.tryAcquirePermission()) {
            long retryAfter = breakers.retryAfterSeconds(name);
            refuse(ProxyError.CIRCUIT_OPEN, retryAfter, "calls to " + service + " are refused for now: its circuit breaker '"
                    + name + "' is open after too many failed or slow calls",
                    "service", service, "breaker", name, "retry_after_s", retryAfter);
            return false;
        }
        breaker = named;
        sinceNanos = System.nanoTime();
        return true;
    }

    /** The bulkhead cap that refused the last {@link #acquire}, or null when the breaker did (or nothing). */
    Bulkheads.Cap refusedBy() {
        return refusal == ProxyError.OVERLOADED ? refusedBy : null;
    }

    private void refuse(ProxyError error, long retryAfter, String message, Object... fields) {
        refusal = error;
        retryAfterSeconds = retryAfter;
        refusalMessage = message;
        refusalFields = fields;
    }

    /** Why the last {@link #acquire} refused: {@code circuit_open} or {@code overloaded}. */
    ProxyError refusal() {
        return refusal;
    }

    String refusalMessage() {
        return refusalMessage;
    }

    Object[] refusalFields() {
        return refusalFields;
    }

    /** When the client may come back, for {@code Retry-After}; 0 when the refusal does not say. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The try's outcome at its response head: {@code failed} for a 5xx answer, a reset, a timeout or no connection. */
    void settle(boolean failed) {
        CircuitBreaker held = breaker;
        if (held == null) {
            return;
        }
        breaker = null;
        long took = System.nanoTime() - sinceNanos;
        if (failed) {
            held.onError(took, TimeUnit.NANOSECONDS, TRY_FAILED);
        } else {
            held.onSuccess(took, TimeUnit.NANOSECONDS);
        }
    }

    /** The try is over: whatever it still holds goes back, an unsettled breaker permit without an outcome. */
    void release() {
        CircuitBreaker held = breaker;
        if (held != null) {
            breaker = null;
            held.releasePermission();
        }
        bulkhead.release();
    }
}
