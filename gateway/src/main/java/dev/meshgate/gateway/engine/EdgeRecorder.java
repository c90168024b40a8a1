package dev.meshgate.gateway.engine;

import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.proxy.exchange.ExchangeRecorder;
import dev.meshgate.proxy.exchange.FaultKind;
import dev.meshgate.proxy.exchange.TimeoutKind;
import dev.meshgate.proxy.cluster.CircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge engine's metrics. Requests and their latency are Gateway's and the fast path's own meters;
 * this adds what only the engine sees: {@code mesh_proxy_errors_total{direction="edge", reason}}, the
 * answers it gave itself (timeouts, refused connections, slow request heads), and
 * {@code mesh_proxy_retries_total{direction="edge", reason}}, the failed tries it made again, and the
 * ejections, budget refusals and timeouts by kind, named as on the nodes.
 */
final class EdgeRecorder implements ExchangeRecorder {

    private static final Logger log = LoggerFactory.getLogger(EdgeRecorder.class);

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();

    EdgeRecorder(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public long started() {
        return System.nanoTime();
    }

    @Override
    public void finished(int status, long startNanos) {
        // counted by the fast path's and Gateway's request meters
    }

    @Override
    public void retried(RetryOn reason) {
        Counter.builder("mesh.proxy.retries")
                .description("Failed tries made again under the route's retry policy, by the failure")
                .tag("direction", EdgeEngine.LISTENER).tag("reason", reason.tag())
                .register(registry).increment();
    }

    @Override
    public void ejected(String service) {
        Counter.builder("mesh.proxy.ejections")
                .description("Endpoints taken out of rotation after their tries failed (outlier detection)")
                .tag("direction", EdgeEngine.LISTENER).tag("service", service)
                .register(registry).increment();
    }

    @Override
    public void retryBudgetExhausted(String service) {
        Counter.builder("mesh.proxy.retry.budget.exhausted")
                .description("Retries not made because the service's retry budget was spent")
                .tag("direction", EdgeEngine.LISTENER).tag("service", service)
                .register(registry).increment();
    }

    @Override
    public void faultInjected(String service, FaultKind kind) {
        Counter.builder("mesh.proxy.faults")
                .description("Requests a route's fault policy delayed or aborted, by the fault's kind")
                .tag("direction", EdgeEngine.LISTENER).tag("service", String.valueOf(service)).tag("kind", kind.tag())
                .register(registry).increment();
    }

    @Override
    public void timedOut(TimeoutKind kind) {
        Counter.builder("mesh.proxy.timeouts")
                .description("Exchanges and tries that ran into a timeout, by its kind")
                .tag("direction", EdgeEngine.LISTENER).tag("kind", kind.tag())
                .register(registry).increment();
    }

    /**
     * The edge's circuit breakers, metered by resilience4j's own binding
     * ({@code resilience4j_circuitbreaker_state{name, state}} and the rest) and
     * {@code mesh_proxy_breaker_transitions_total{direction="edge", name, from, to}}.
     */
    CircuitBreakers circuitBreakers() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        return new CircuitBreakers(breakers, Clock.systemUTC(), (name, from, to) -> {
            log.info("circuit breaker {}: {} -> {}", name, from, to);
            Counter.builder("mesh.proxy.breaker.transitions")
                    .description("Circuit breaker state changes, by breaker and states")
                    .tag("direction", EdgeEngine.LISTENER).tag("name", name)
                    .tag("from", from.name().toLowerCase(Locale.ROOT)).tag("to", to.name().toLowerCase(Locale.ROOT))
                    .register(registry).increment();
        });
    }

    @Override
    public void error(String reason) {
        errors.computeIfAbsent(reason, r -> Counter.builder("mesh.proxy.errors")
                .description("Requests the proxy answered itself or could not complete, by reason")
                .tag("direction", EdgeEngine.LISTENER).tag("reason", r)
                .register(registry)).increment();
    }
}
