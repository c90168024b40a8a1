package dev.meshgate.proxy.telemetry;

import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.proxy.cluster.CircuitBreakers;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import dev.meshgate.proxy.exchange.FaultKind;
import dev.meshgate.proxy.exchange.TimeoutKind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every stage of the engine counts, as meters named the same on the nodes and at the edge,
 * each tagged with its {@code direction} ({@code inbound}, {@code outbound}, {@code edge}):
 *
 * <ul>
 *   <li>{@code mesh_proxy_errors_total{reason}}: answers the proxy gave itself and broken exchanges</li>
 *   <li>{@code mesh_proxy_retries_total{reason}}: failed tries made again, by the failure</li>
 *   <li>{@code mesh_proxy_retry_budget_exhausted_total{service}}: retries the service's budget refused</li>
 *   <li>{@code mesh_proxy_ejections_total{service}}: endpoints taken out of rotation by outlier detection</li>
 *   <li>{@code mesh_proxy_bulkhead_rejections_total{service, limit}}: tries refused by a bulkhead's cap</li>
 *   <li>{@code mesh_proxy_faults_total{service, kind}}: requests a route's fault policy delayed or aborted</li>
 *   <li>{@code mesh_proxy_timeouts_total{kind}}: {@code request}, {@code per_try}, {@code connect}</li>
 * </ul>
 *
 * Retries and timeouts are resolved when this is built; the rest are error paths, where a lookup
 * may cost a little. A data plane's recorder adds its request meters to these.
 */
public abstract class StageMeters implements ExchangeRecorder {

    private static final Logger log = LoggerFactory.getLogger(StageMeters.class);

    protected final MeterRegistry registry;
    protected final Tags directionTag;
    private final ConcurrentHashMap<String, Counter> errorsByReason = new ConcurrentHashMap<>();
    private final Counter[] retriesByReason = new Counter[RetryOn.values().length];
    private final Counter[] timeoutsByKind = new Counter[TimeoutKind.values().length];

    protected StageMeters(MeterRegistry registry, String direction) {
        this.registry = registry;
        this.directionTag = Tags.of("direction", direction);
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
    }

    /**
     * A data plane's circuit breakers as meters: resilience4j's own binding
     * ({@code resilience4j_circuitbreaker_state{name, state}}, {@code _calls_seconds{kind}},
     * {@code _not_permitted_calls_total}, {@code _failure_rate}, {@code _slow_call_rate}) for every
     * breaker as it is built, and {@code mesh_proxy_breaker_transitions_total{name, from, to}} with a
     * log line for each change of state.
     *
     * @param tags added to the transitions counter (the edge's direction)
     */
    public static CircuitBreakers circuitBreakers(MeterRegistry meters, Clock clock, Tags tags) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        return new CircuitBreakers(breakers, clock, (name, from, to) -> transitioned(meters, tags, name, from, to));
    }

    private static void transitioned(MeterRegistry meters, Tags tags, String name, CircuitBreaker.State from,
            CircuitBreaker.State to) {
        log.info("circuit breaker {}: {} -> {}", name, from, to);
        Counter.builder("mesh.proxy.breaker.transitions")
                .description("Circuit breaker state changes, by breaker and states")
                .tags(tags).tag("name", name)
                .tag("from", from.name().toLowerCase(Locale.ROOT)).tag("to", to.name().toLowerCase(Locale.ROOT))
                .register(meters).increment();
    }

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

    @Override
    public void timedOut(TimeoutKind kind) {
        timeoutsByKind[kind.ordinal()].increment();
    }

    @Override
    public void ejected(String service) {
        count("mesh.proxy.ejections", "Endpoints taken out of rotation after their tries failed (outlier detection)",
                Tags.of("service", service));
    }

    @Override
    public void retryBudgetExhausted(String service) {
        count("mesh.proxy.retry.budget.exhausted", "Retries not made because the service's retry budget was spent",
                Tags.of("service", service));
    }

    @Override
    public void bulkheadRejected(String service, String cap) {
        count("mesh.proxy.bulkhead.rejections", "Tries refused at once because a bulkhead was full, by the cap",
                Tags.of("service", service, "limit", cap));
    }

    @Override
    public void faultInjected(String service, FaultKind kind) {
        count("mesh.proxy.faults", "Requests a route's fault policy delayed or aborted, by the fault's kind",
                Tags.of("service", String.valueOf(service), "kind", kind.tag()));
    }

    private void count(String name, String description, Tags tags) {
        Counter.builder(name).description(description).tags(directionTag).tags(tags).register(registry).increment();
    }
}
