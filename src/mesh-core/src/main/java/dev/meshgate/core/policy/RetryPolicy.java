package dev.meshgate.core.policy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * When a failed try of a request is made again, on another endpoint of the service where one exists:
 * at most {@code attempts} tries in all, for the failures listed in {@code retryOn}. Nothing is tried
 * again once a response has begun to reach the client.
 *
 * <pre>
 * retries:
 *   attempts: 3                            # tries in all, the first included (1: no retries)
 *   retry-on: [connect-failure, reset, gateway-error]
 *   per-try-timeout: 500ms                 # a try without a response head by then is given up
 *   backoff: {base: 25ms, max: 250ms}      # the wait before each retry, with full jitter
 *   statuses: [409, 500]                   # answers the route also retries (replayable requests only)
 *   non-idempotent: true                   # any method may go again, not only replayable ones (opt in per route)
 *   replay-body-limit: 65536               # a body up to this many bytes is kept to send again; a larger one is not retried
 * </pre>
 *
 * @param attempts      null for {@link #DEFAULT_ATTEMPTS}
 * @param retryOn       null for {@link #DEFAULT_RETRY_ON}; empty for none
 * @param perTryTimeout null for none: a try may take the whole request timeout
 * @param backoff       null for {@link BackoffPolicy#DEFAULT}
 * @param statuses      response statuses (4xx or 5xx) retried as {@link RetryOn#RETRIABLE_STATUS_CODES}; null for none
 * @param nonIdempotent true to retry any method (a POST the route knows is safe to repeat); null for false:
 *                      only replayable requests (GET, HEAD, OPTIONS, TRACE, or with an {@code Idempotency-Key})
 * @param replayBodyLimit bytes of request body kept for a retry, 0 to 16 MiB; null for {@link #DEFAULT_REPLAY_BODY_LIMIT}
 */
public record RetryPolicy(Integer attempts, Set<RetryOn> retryOn, Duration perTryTimeout, BackoffPolicy backoff,
        Set<Integer> statuses, Boolean nonIdempotent, Integer replayBodyLimit) {

    /** One retry: enough to step over a dead endpoint, not enough to multiply the load of a failing service. */
    public static final int DEFAULT_ATTEMPTS = 2;
    public static final int MAX_ATTEMPTS = 10;
    /** Linkerd's bound: enough for an API call's JSON, small enough that held bodies never crowd the heap. */
    public static final int DEFAULT_REPLAY_BODY_LIMIT = 64 * 1024;
    private static final int MAX_REPLAY_BODY_LIMIT = 16 * 1024 * 1024;

    /** The failures where the upstream has not acted on the request, or may be asked twice; not a 5xx answer. */
    public static final Set<RetryOn> DEFAULT_RETRY_ON = Set.of(RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.RESET,
            RetryOn.PER_TRY_TIMEOUT);

    /** No configuration at all: idempotent requests retried once on connect failure, refused stream and reset. */
    public static final RetryPolicy DEFAULT = of(null, null);

    public RetryPolicy {
        attempts = attempts == null ? DEFAULT_ATTEMPTS : attempts;
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("retries.attempts must be between 1 and " + MAX_ATTEMPTS + ", was " + attempts);
        }
        retryOn = retryOn == null ? DEFAULT_RETRY_ON : Set.copyOf(retryOn);
        Timeouts.requirePositiveOrNull("retries.per-try-timeout", perTryTimeout);
        backoff = backoff != null ? backoff : BackoffPolicy.DEFAULT;
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        for (int status : statuses) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("retries.statuses must be 4xx or 5xx statuses, was " + status);
            }
        }
        nonIdempotent = nonIdempotent != null && nonIdempotent;
        replayBodyLimit = replayBodyLimit == null ? DEFAULT_REPLAY_BODY_LIMIT : replayBodyLimit;
        if (replayBodyLimit < 0 || replayBodyLimit > MAX_REPLAY_BODY_LIMIT) {
            throw new IllegalArgumentException("retries.replay-body-limit must be between 0 and " + MAX_REPLAY_BODY_LIMIT
                    + " bytes, was " + replayBodyLimit);
        }
        if (!statuses.isEmpty() && !retryOn.contains(RetryOn.RETRIABLE_STATUS_CODES)) {
            // listing statuses is asking for them to be retried
            EnumSet<RetryOn> with = EnumSet.of(RetryOn.RETRIABLE_STATUS_CODES);
            with.addAll(retryOn);
            retryOn = Set.copyOf(with);
        }
    }

    /** Attempts and conditions, with no per-try timeout, the default backoff and no listed statuses. */
    public static RetryPolicy of(Integer attempts, Set<RetryOn> retryOn) {
        return new RetryPolicy(attempts, retryOn, null, null, null, null, null);
    }

    /** Whether an answer with {@code status} is one the policy lists for a retry. */
    public boolean retriesStatus(int status) {
        return !statuses.isEmpty() && statuses.contains(status);
    }

    /** The per-try timeout in nanoseconds, or 0 for none. */
    public long perTryTimeoutNanos() {
        return perTryTimeout == null ? 0 : perTryTimeout.toNanos();
    }

    /** Whether a request that has been tried {@code tries} times goes again after {@code failure}. */
    public boolean allows(RetryOn failure, int tries) {
        return tries < attempts && retryOn.contains(failure);
    }
}
