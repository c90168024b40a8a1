package dev.meshgate.core.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Faults a route injects into its own requests, to rehearse what callers do when the service is
 * slow or failing (Envoy's fault filter): a fixed {@code delay} before a share of requests is sent,
 * and an {@code abort} that answers a share of them with a status without calling the service.
 * With {@code headers}, only requests carrying every one of those header values are eligible, so a
 * test client can opt in while other traffic flows untouched. Off unless a route declares it.
 *
 * <pre>
 * routes:
 *   - name: checkout
 *     path-prefix: /checkout
 *     fault:
 *       delay: {percent: 10, fixed: 2s}
 *       abort: {percent: 5, status: 503}
 *       headers: {x-chaos: "on"}
 * </pre>
 *
 * @param delay   null for none
 * @param abort   null for none; drawn independently of the delay, so a request may be delayed, then aborted
 * @param headers header name to exact value; empty for every request of the route
 */
public record FaultPolicy(Delay delay, Abort abort, Map<String, String> headers) {

    /**
     * @param percent of eligible requests, 0 to 100 (fractions allowed); null for 100
     * @param fixed   how long each of them waits before it is sent
     */
    public record Delay(Double percent, Duration fixed) {
        public Delay {
            percent = percentage("fault.delay.percent", percent);
            if (fixed == null) {
                throw new IllegalArgumentException("fault.delay.fixed is required: how long a delayed request waits");
            }
            Timeouts.requirePositiveOrNull("fault.delay.fixed", fixed);
        }
    }

    /**
     * @param percent of eligible requests, 0 to 100 (fractions allowed); null for 100
     * @param status  the status they are answered with, 200 to 599
     */
    public record Abort(Double percent, Integer status) {
        public Abort {
            percent = percentage("fault.abort.percent", percent);
            if (status == null || status < 200 || status > 599) {
                throw new IllegalArgumentException("fault.abort.status must be a status from 200 to 599, was " + status);
            }
        }
    }

    public FaultPolicy {
        if (delay == null && abort == null) {
            throw new IllegalArgumentException("fault needs a delay or an abort");
        }
        Map<String, String> lowerCased = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                    throw new IllegalArgumentException("fault.headers: '" + name + "' is not a header name");
                }
                lowerCased.put(name.toLowerCase(Locale.ROOT), value == null ? "" : value);
            });
        }
        headers = Map.copyOf(lowerCased);
    }

    private static double percentage(String key, Double value) {
        double percent = value != null ? value : 100.0;
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException(key + " must be a percentage from 0 to 100, was " + value);
        }
        return percent;
    }

    /** Whether a request drawn at {@code unitRandom} (in [0, 1)) is delayed. */
    public boolean delays(double unitRandom) {
        return delay != null && unitRandom * 100 < delay.percent();
    }

    /** Whether a request drawn at {@code unitRandom} (in [0, 1)) is aborted. */
    public boolean aborts(double unitRandom) {
        return abort != null && unitRandom * 100 < abort.percent();
    }

    /** The delay in nanoseconds (0 for none). */
    public long delayNanos() {
        return delay == null ? 0 : delay.fixed().toNanos();
    }
}
