package dev.meshgate.node.telemetry;

import dev.meshgate.proxy.telemetry.StageMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Golden signals of one direction of the data plane (inbound or outbound). Every meter is resolved
 * when this is built, so recording an exchange allocates nothing: an atomic in-flight count, one
 * counter and one timer update.
 *
 * <ul>
 *   <li>{@code mesh_requests_total{direction, status_class}}: exchanges by the class of the status sent
 *   to the client ({@code 1xx}..{@code 5xx}), {@code aborted} when the client left before any status</li>
 *   <li>{@code mesh_request_duration_seconds{direction}}: from request head to the response's last byte</li>
 *   <li>{@code mesh_requests_in_flight{direction}}</li>
 * </ul>
 *
 * and what every stage counts ({@link StageMeters}).
 */
public final class ExchangeMetrics extends StageMeters {

    private static final String[] STATUS_CLASSES = {"aborted", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final Counter[] requestsByStatusClass = new Counter[STATUS_CLASSES.length];
    private final Timer duration;
    private final AtomicInteger inFlight = new AtomicInteger();

    ExchangeMetrics(MeterRegistry registry, String direction) {
        super(registry, direction);
        for (int i = 0; i < STATUS_CLASSES.length; i++) {
            requestsByStatusClass[i] = Counter.builder("mesh.requests")
                    .description("HTTP exchanges proxied, by the class of the status sent to the client")
                    .tags(directionTag).tag("status_class", STATUS_CLASSES[i])
                    .register(registry);
        }
        duration = Timer.builder("mesh.request.duration")
                .description("Time from a request's head to its response's last byte")
                .tags(directionTag)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        Gauge.builder("mesh.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Exchanges started and not yet finished")
                .tags(directionTag)
                .register(registry);
    }

    /** Marks an exchange as started; returns its start time for {@link #finished}. */
    @Override
    public long started() {
        inFlight.incrementAndGet();
        return System.nanoTime();
    }

    /** @param status the status sent to the client, or 0 when none was sent */
    @Override
    public void finished(int status, long startNanos) {
        inFlight.decrementAndGet();
        int statusClass = status / 100;
        requestsByStatusClass[statusClass >= 1 && statusClass <= 5 ? statusClass : 0].increment();
        duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public int inFlight() {
        return inFlight.get();
    }
}
