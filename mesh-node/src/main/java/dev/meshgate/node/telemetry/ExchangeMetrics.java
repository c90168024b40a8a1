package dev.meshgate.node.telemetry;

import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import dev.meshgate.proxy.exchange.FaultKind;
import dev.meshgate.proxy.exchange.TimeoutKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
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
 *   <li>{@code mesh_proxy_errors_total{direction, reason}}: answers the proxy gave itself and broken exchanges</li>
 *   <li>{@code mesh_proxy_retries_total{direction, reason}}: failed tries made again, by the failure</li>
 *   <li>{@code mesh_proxy_ejections_total{direction, service}}: endpoints taken out of rotation by outlier detection</li>
 *   <li>{@code mesh_proxy_retry_budget_exhausted_total{direction, service}}: retries refused by the service's budget</li>
 *   <li>{@code mesh_proxy_timeouts_total{direction, kind}}: timeouts by kind ({@code request}, {@code per_try}, {@code connect})</li>
 * </ul>
 */
public final class ExchangeMetrics implements ExchangeRecorder {

    private static final String[] STATUS_CLASSES = {"aborted", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final Tags directionTag;
    private final Counter[] requestsByStatusClass = new Counter[STATUS_CLASSES.length];
    private final Timer duration;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, Counter> errorsByReason = new ConcurrentHashMap<>();
    private final Counter[] retriesByReason = new Counter[RetryOn.values().length];
    private final Counter[] timeoutsByKind = new Counter[TimeoutKind.values().length];

    ExchangeMetrics(MeterRegistry registry, String direction) {
        this.registry = registry;
        this.directionTag = Tags.of("direction", direction);
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
        for (RetryOn reason : RetryOn.values()) {
            retriesByReason[reason.ordinal()] = Counter.builder("mesh.proxy.retries")
                    .description("Failed tries made again under the route's retry policy, by the failure")
                    .tags(directionTag).tag("reason", reason.tag())
                    .register(registry);
        }
        for (TimeoutKind kind : TimeoutKind.values()) {
            timeoutsByKind[kind.ordinal()] = Counter.builder("mesh.proxy.timeouts")
                    .description("Exchanges and tries that ran into a timeout, by its kind")
                    .tags(directionTag).tag("kind", kind.tag())
                    .register(registry);
        }
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

    /** Counts an error by its reason code (an error path: the lookup is allowed to cost a little). */
    @Override
    public void error(String reason) {
        errorsByReason.computeIfAbsent(reason, r -> Counter.builder("mesh.proxy.errors")
                .description("Requests the proxy answered itself or could not complete, by reason")
                .tags(directionTag).tag("reason", r)
                .register(registry)).increment();
    }

    @Override
    public void retried(RetryOn reason) {
        retriesByReason[reason.ordinal()].increment();
    }

    /** An error path: the lookup may cost a little. */
    @Override
    public void ejected(String service) {
        Counter.builder("mesh.proxy.ejections")
                .description("Endpoints taken out of rotation after their tries failed (outlier detection)")
                .tags(directionTag).tag("service", service)
                .register(registry).increment();
    }

    /** An error path: the lookup may cost a little. */
    @Override
    public void retryBudgetExhausted(String service) {
        Counter.builder("mesh.proxy.retry.budget.exhausted")
                .description("Retries not made because the service's retry budget was spent")
                .tags(directionTag).tag("service", service)
                .register(registry).increment();
    }

    @Override
    public void faultInjected(String service, FaultKind kind) {
        Counter.builder("mesh.proxy.faults")
                .description("Requests a route's fault policy delayed or aborted, by the fault's kind")
                .tags(directionTag).tag("service", String.valueOf(service)).tag("kind", kind.tag())
                .register(registry).increment();
    }

    @Override
    public void timedOut(TimeoutKind kind) {
        timeoutsByKind[kind.ordinal()].increment();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
