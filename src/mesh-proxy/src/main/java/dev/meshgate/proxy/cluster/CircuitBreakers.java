package dev.meshgate.proxy.cluster;

import dev.meshgate.core.policy.CircuitBreakerPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data plane's circuit breakers, by name ({@code search}, or {@code search/reports} for a route
 * with its own), in one resilience4j registry, so its Micrometer binding and the actuator endpoint
 * see them all. A breaker is built the first time its policy is met; a changed policy replaces it
 * (closed, its window empty). Asked directly on the event loops: no Reactor operator, no lock on the
 * path of a try.
 */
public final class CircuitBreakers {

    /** Where a breaker's state changes go: metrics and logs. */
    @FunctionalInterface
    public interface TransitionListener {
        void transitioned(String name, CircuitBreaker.State from, CircuitBreaker.State to);
    }

    private static final class Entry {
        final CircuitBreakerPolicy policy;
        final CircuitBreaker breaker;
        /** When the breaker last opened, in the clock's millis. */
        volatile long openedAtMillis;

        Entry(CircuitBreakerPolicy policy, CircuitBreaker breaker) {
            this.policy = policy;
            this.breaker = breaker;
        }
    }

    private final CircuitBreakerRegistry registry;
    private final Clock clock;
    private final TransitionListener listener;
    private final ConcurrentHashMap<String, Entry> byName = new ConcurrentHashMap<>();

    public CircuitBreakers() {
        this(CircuitBreakerRegistry.ofDefaults(), Clock.systemUTC(), (name, from, to) -> { });
    }

    /** @param clock the breakers' time: a virtual one in tests drives open to half-open */
    public CircuitBreakers(CircuitBreakerRegistry registry, Clock clock, TransitionListener listener) {
        this.registry = registry;
        this.clock = clock;
        this.listener = listener;
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }

    /** The breaker {@code name} under {@code policy}. */
    public CircuitBreaker breaker(String name, CircuitBreakerPolicy policy) {
        Entry entry = byName.get(name);
        if (entry != null && (entry.policy == policy || entry.policy.equals(policy))) {
            return entry.breaker;
        }
        return byName.compute(name, (key, current) -> {
            if (current != null && current.policy.equals(policy)) {
                return current;
            }
            registry.remove(key);
            Entry created = new Entry(policy, registry.circuitBreaker(key, config(policy)));
            created.breaker.getEventPublisher().onStateTransition(event -> {
                CircuitBreaker.State to = event.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    created.openedAtMillis = clock.millis();
                }
                listener.transitioned(key, event.getStateTransition().getFromState(), to);
            });
            return created;
        }).breaker;
    }

    /** Whole seconds until the open breaker {@code name} lets a trial call through, for {@code Retry-After}: at least 1. */
    public long retryAfterSeconds(String name) {
        Entry entry = byName.get(name);
        if (entry == null) {
            return 1;
        }
        long left = entry.openedAtMillis + entry.policy.waitInOpen().toMillis() - clock.millis();
        return Math.max(1, (left + 999) / 1000);
    }

    private CircuitBreakerConfig config(CircuitBreakerPolicy policy) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.slidingWindow())
                .minimumNumberOfCalls(policy.minimumCalls())
                .failureRateThreshold(policy.failureRateThreshold())
                .slowCallRateThreshold(policy.slowCallRateThreshold())
                .slowCallDurationThreshold(policy.slowCallDuration())
                .waitDurationInOpenState(policy.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
                .clock(clock)
                .build();
    }
}
