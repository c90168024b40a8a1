package dev.meshgate.core.policy;

import java.time.Duration;

/**
 * The most retries a caller sends a service, Linkerd's model: over a sliding {@code window}, at most
 * {@code ratio} retries per request plus {@code minPerSecond} retries a second. A service that fails
 * every request thus sees at most {@code 1 + ratio} times its callers' load (plus the minimum), never
 * a retry storm, while a service with few requests can still have its rare failures retried.
 *
 * <pre>
 * retry-budget:
 *   ratio: 0.2            # retries per request, 0 to 1
 *   min-per-second: 10    # retries a second allowed whatever the ratio
 *   window: 10s           # how far back requests and retries count
 * </pre>
 *
 * @param ratio        null for {@link #DEFAULT_RATIO}
 * @param minPerSecond null for {@link #DEFAULT_MIN_PER_SECOND}
 * @param window       null for {@link #DEFAULT_WINDOW}
 */
public record RetryBudgetPolicy(Double ratio, Integer minPerSecond, Duration window) {

    public static final double DEFAULT_RATIO = 0.2;
    public static final int DEFAULT_MIN_PER_SECOND = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    public static final RetryBudgetPolicy DEFAULT = new RetryBudgetPolicy(null, null, null);

    public RetryBudgetPolicy {
        ratio = ratio != null ? ratio : DEFAULT_RATIO;
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("retry-budget.ratio must be between 0 and 1, was " + ratio);
        }
        minPerSecond = minPerSecond != null ? minPerSecond : DEFAULT_MIN_PER_SECOND;
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("retry-budget.min-per-second must not be negative, was " + minPerSecond);
        }
        window = window != null ? window : DEFAULT_WINDOW;
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("retry-budget.window must be between 1s and 60s, was " + window);
        }
    }

    /** The retries allowed over the window in which {@code requests} requests were sent. */
    public double allowed(long requests) {
        return ratio * requests + minPerSecond * (window.toNanos() / 1e9);
    }
}
