package dev.meshgate.controlplane;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /actuator/circuitbreakers}: every circuit breaker a data plane's calls have met, by name
 * ({@code search}, or {@code search/reports} for a route with its own), with its state, its window's
 * rates and counts, and its thresholds; {@code /actuator/circuitbreakers/{name}} for one.
 */
@Endpoint(id = "circuitbreakers")
public class CircuitBreakersEndpoint {

    private final CircuitBreakerRegistry registry;

    public CircuitBreakersEndpoint(CircuitBreakerRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation
    public Map<String, Object> circuitBreakers() {
        Map<String, Object> all = new TreeMap<>();
        registry.getAllCircuitBreakers().forEach(breaker -> all.put(breaker.getName(), describe(breaker)));
        return Map.of("circuitBreakers", all);
    }

    /** One breaker; none of that name answers 404. */
    @ReadOperation
    public Map<String, Object> circuitBreaker(@Selector(match = Selector.Match.ALL_REMAINING) String[] name) {
        return registry.find(String.join("/", name)).map(CircuitBreakersEndpoint::describe).orElse(null);
    }

    private static Map<String, Object> describe(CircuitBreaker breaker) {
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("state", breaker.getState().name());
        described.put("failureRate", metrics.getFailureRate());
        described.put("slowCallRate", metrics.getSlowCallRate());
        described.put("bufferedCalls", metrics.getNumberOfBufferedCalls());
        described.put("failedCalls", metrics.getNumberOfFailedCalls());
        described.put("slowCalls", metrics.getNumberOfSlowCalls());
        described.put("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        described.put("failureRateThreshold", config.getFailureRateThreshold());
        described.put("slowCallRateThreshold", config.getSlowCallRateThreshold());
        described.put("slowCallDurationThreshold", config.getSlowCallDurationThreshold().toString());
        described.put("slidingWindowSize", config.getSlidingWindowSize());
        described.put("minimumNumberOfCalls", config.getMinimumNumberOfCalls());
        described.put("permittedCallsInHalfOpen", config.getPermittedNumberOfCallsInHalfOpenState());
        return described;
    }
}
