package dev.meshgate.node.telemetry;

import dev.meshgate.proxy.cluster.CircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;

/**
 * The node's circuit breakers as meters: resilience4j's own binding
 * ({@code resilience4j_circuitbreaker_state{name, state}}, {@code _calls_seconds{kind}},
 * {@code _not_permitted_calls_total}, {@code _failure_rate}, {@code _slow_call_rate}) for every
 * breaker as it is built, and {@code mesh_proxy_breaker_transitions_total{name, from, to}}, with a
 * log line for each change of state.
 */
final class BreakerMetrics {

    private static final Logger log = LoggerFactory.getLogger(BreakerMetrics.class);

    private BreakerMetrics() {
    }

    static CircuitBreakers circuitBreakers(MeterRegistry meters, Clock clock) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return new CircuitBreakers(registry, clock, (name, from, to) -> transitioned(meters, name, from, to));
    }

    private static void transitioned(MeterRegistry meters, String name, CircuitBreaker.State from, CircuitBreaker.State to) {
        log.info("circuit breaker {}: {} -> {}", name, from, to);
        Counter.builder("mesh.proxy.breaker.transitions")
                .description("Circuit breaker state changes, by breaker and states")
                .tag("name", name).tag("from", from.name().toLowerCase(Locale.ROOT)).tag("to", to.name().toLowerCase(Locale.ROOT))
                .register(meters).increment();
    }
}
