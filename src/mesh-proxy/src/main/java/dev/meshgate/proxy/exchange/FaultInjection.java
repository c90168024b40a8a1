package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.FaultPolicy;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fault stage of one exchange, before its first try: whether its route's {@link FaultPolicy}
 * delays it and whether it aborts it, each drawn once and independently (so each rate is the
 * configured one), the delay first, as Envoy's fault filter does. A retry is never drawn again.
 * Reused by a connection's successive exchanges; a route without faults costs one null check.
 */
final class FaultInjection {

    /** Marks a response whose request had a fault injected: {@code delay}, {@code abort} or {@code delay,abort}. */
    static final String HEADER = "x-mesh-fault";

    private boolean decided;
    private boolean delayed;
    private boolean abortPending;
    private boolean aborted;

    void reset() {
        decided = false;
        delayed = false;
        abortPending = false;
        aborted = false;
    }

    /**
     * The fault to apply before this try: {@link FaultKind#DELAY} (the exchange waits, then is routed
     * again and asks once more), {@link FaultKind#ABORT}, or null to go on.
     */
    FaultKind next(FaultPolicy fault, HttpHeaders headers) {
        if (!decided) {
            decided = true;
            if (!eligible(fault, headers)) {
                return null;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            abortPending = fault.aborts(random.nextDouble());
            if (fault.delays(random.nextDouble())) {
                delayed = true;
                return FaultKind.DELAY;
            }
        }
        if (abortPending) {
            abortPending = false;
            aborted = true;
            return FaultKind.ABORT;
        }
        return null;
    }

    /** The {@link #HEADER} value for this exchange's response, or null when no fault was injected. */
    String marker() {
        if (delayed) {
            return aborted ? "delay,abort" : "delay";
        }
        return aborted ? "abort" : null;
    }

    private static boolean eligible(FaultPolicy fault, HttpHeaders headers) {
        for (Map.Entry<String, String> wanted : fault.headers().entrySet()) {
            if (!wanted.getValue().equals(headers.get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
