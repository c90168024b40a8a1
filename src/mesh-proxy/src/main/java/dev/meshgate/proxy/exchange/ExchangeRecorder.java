package dev.meshgate.proxy.exchange;

import dev.meshgate.core.policy.RetryOn;

/**
 * Where a listener's golden signals go (the data plane's metrics). Called on the event loops, once
 * or twice per exchange: implementations must not block or allocate on the success path.
 */
public interface ExchangeRecorder {

    /** An exchange started; returns its start time in {@link System#nanoTime()} terms. */
    long started();

    /** @param status the status sent to the client, or 0 when none was sent */
    void finished(int status, long startNanos);

    /** An answer the proxy gave itself, or a broken exchange, by its reason code. */
    void error(String reason);

    /** A failed try is made again under the route's retry policy, for {@code reason}. */
    void retried(RetryOn reason);

    /** An endpoint of {@code service} left the rotation after its tries failed (outlier detection). */
    void ejected(String service);

    /** A try of a request to {@code service} was not made again: the service's retry budget was spent. */
    void retryBudgetExhausted(String service);

    /** An exchange or one of its tries ran into a timeout of {@code kind}. */
    void timedOut(TimeoutKind kind);

    /** A try to {@code service} was refused by its bulkhead's {@code cap} ({@code max-requests}, {@code max-requests-per-endpoint}). */
    void bulkheadRejected(String service, String cap);

    /** A route's fault policy delayed or aborted a request to {@code service}. */
    void faultInjected(String service, FaultKind kind);
}
