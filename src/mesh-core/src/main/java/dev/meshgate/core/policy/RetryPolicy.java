package dev.meshgate.core.policy;

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
 * </pre>
 *
 * @param attempts null for {@link #DEFAULT_ATTEMPTS}
 * @param retryOn  null for {@link #DEFAULT_RETRY_ON}; empty for none
 */
public record RetryPolicy(Integer attempts, Set<RetryOn> retryOn) {

    /** One retry: enough to step over a dead endpoint, not enough to multiply the load of a failing service. */
    public static final int DEFAULT_ATTEMPTS = 2;
    public static final int MAX_ATTEMPTS = 10;

    /** The failures where the upstream has not acted on the request, or may be asked twice; not a 5xx answer. */
    public static final Set<RetryOn> DEFAULT_RETRY_ON = Set.of(RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.RESET);

    /** No configuration at all: idempotent requests retried once on connect failure, refused stream and reset. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(null, null);

    public RetryPolicy {
        attempts = attempts == null ? DEFAULT_ATTEMPTS : attempts;
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("retries.attempts must be between 1 and " + MAX_ATTEMPTS + ", was " + attempts);
        }
        retryOn = retryOn == null ? DEFAULT_RETRY_ON : Set.copyOf(retryOn);
    }

    /** Whether a request that has been tried {@code tries} times goes again after {@code failure}. */
    public boolean allows(RetryOn failure, int tries) {
        return tries < attempts && retryOn.contains(failure);
    }
}
