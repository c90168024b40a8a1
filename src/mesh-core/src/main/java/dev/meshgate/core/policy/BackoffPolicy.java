package dev.meshgate.core.policy;

import java.time.Duration;

/**
 * How long a retry waits: exponential backoff with full jitter, a uniformly random wait between zero
 * and {@code base × 2^(retry-1)}, capped at {@code max}. The randomness spreads the retries of many
 * callers that failed together, so a recovering service does not meet them all at once.
 *
 * <pre>
 * backoff:
 *   base: 25ms
 *   max: 250ms
 * </pre>
 *
 * @param base null for {@link #DEFAULT_BASE}
 * @param max  null for ten times the base
 */
public record BackoffPolicy(Duration base, Duration max) {

    /** Envoy's default: short enough that a retry stepping over a dead endpoint costs the caller little. */
    public static final Duration DEFAULT_BASE = Duration.ofMillis(25);

    public static final BackoffPolicy DEFAULT = new BackoffPolicy(null, null);

    public BackoffPolicy {
        Timeouts.requirePositiveOrNull("retries.backoff.base", base);
        base = base != null ? base : DEFAULT_BASE;
        Timeouts.requirePositiveOrNull("retries.backoff.max", max);
        max = max != null ? max : base.multipliedBy(10);
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retries.backoff.max must not be shorter than the base (" + base + "), was " + max);
        }
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry), for {@code unitRandom}
     * drawn uniformly from [0, 1).
     */
    public long delayNanos(int retry, double unitRandom) {
        long ceiling = max.toNanos();
        long base = this.base.toNanos();
        int doublings = Math.min(Math.max(retry - 1, 0), 62);
        long bound = base > (ceiling >> doublings) ? ceiling : Math.min(ceiling, base << doublings);
        return (long) (bound * unitRandom);
    }
}
