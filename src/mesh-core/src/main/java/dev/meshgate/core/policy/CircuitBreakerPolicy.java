package dev.meshgate.core.policy;

import java.time.Duration;

/**
 * When calls to a service (or one of its routes) stop being made for a while because too many of the
 * last ones failed or were slow: resilience4j's count-based breaker. Closed, it counts the outcome of
 * every try over a window of the last {@code slidingWindow} calls; once at least {@code minimumCalls}
 * are in, a failure rate or slow-call rate at or over its threshold opens it. Open, every try is
 * refused at once with 503 {@code circuit_open} and {@code Retry-After}, for {@code waitInOpen};
 * then {@code halfOpenCalls} trial calls decide whether it closes or opens again. Off unless a
 * service or route declares one.
 *
 * <pre>
 * circuit-breaker:
 *   failure-rate-threshold: 50     # percent of the window's calls that failed (5xx, reset, timeout, no connection)
 *   slow-call-rate-threshold: 100  # percent of the window's calls slower than slow-call-duration
 *   slow-call-duration: 5s
 *   sliding-window: 20             # calls
 *   minimum-calls: 10
 *   wait-in-open: 10s
 *   half-open-calls: 3
 * </pre>
 */
public record CircuitBreakerPolicy(Integer failureRateThreshold, Integer slowCallRateThreshold, Duration slowCallDuration,
        Integer slidingWindow, Integer minimumCalls, Duration waitInOpen, Integer halfOpenCalls) {

    public CircuitBreakerPolicy {
        failureRateThreshold = percent("failure-rate-threshold", failureRateThreshold, 50);
        slowCallRateThreshold = percent("slow-call-rate-threshold", slowCallRateThreshold, 100);
        Timeouts.requirePositiveOrNull("circuit-breaker.slow-call-duration", slowCallDuration);
        slowCallDuration = slowCallDuration != null ? slowCallDuration : Duration.ofSeconds(5);
        slidingWindow = atLeastOne("sliding-window", slidingWindow, 20);
        minimumCalls = atLeastOne("minimum-calls", minimumCalls, 10);
        Timeouts.requirePositiveOrNull("circuit-breaker.wait-in-open", waitInOpen);
        waitInOpen = waitInOpen != null ? waitInOpen : Duration.ofSeconds(10);
        halfOpenCalls = atLeastOne("half-open-calls", halfOpenCalls, 3);
    }

    private static int percent(String key, Integer value, int fallback) {
        int percent = value != null ? value : fallback;
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("circuit-breaker." + key + " must be a percentage from 1 to 100, was " + percent);
        }
        return percent;
    }

    private static int atLeastOne(String key, Integer value, int fallback) {
        int count = value != null ? value : fallback;
        if (count < 1) {
            throw new IllegalArgumentException("circuit-breaker." + key + " must be at least 1, was " + count);
        }
        return count;
    }
}
