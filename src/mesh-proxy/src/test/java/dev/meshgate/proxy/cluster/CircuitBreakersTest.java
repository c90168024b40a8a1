package dev.meshgate.proxy.cluster;

import dev.meshgate.core.policy.CircuitBreakerPolicy;
import dev.meshgate.testing.ManualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The breakers on virtual time: open at the threshold, refuse, half-open after the wait, close on success. */
class CircuitBreakersTest {

    private static final Exception FAILED = new Exception("failed");

    private final ManualClock clock = new ManualClock();
    private final List<String> transitions = new ArrayList<>();
    private final CircuitBreakers breakers = new CircuitBreakers(CircuitBreakerRegistry.ofDefaults(), clock,
            (name, from, to) -> transitions.add(name + ": " + from + " -> " + to));

    /** Opens when half of the last 4 calls failed, waits 10 s, then lets 2 trial calls through. */
    private static final CircuitBreakerPolicy POLICY = new CircuitBreakerPolicy(50, null, null, 4, 4, Duration.ofSeconds(10), 2);

    private static void call(CircuitBreaker breaker, boolean fails) {
        assertThat(breaker.tryAcquirePermission()).isTrue();
        if (fails) {
            breaker.onError(1, TimeUnit.MILLISECONDS, FAILED);
        } else {
            breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void opensAtItsThresholdFailsFastHalfOpensAfterItsWaitAndClosesOnSuccess() {
        CircuitBreaker breaker = breakers.breaker("search", POLICY);
        call(breaker, false);
        call(breaker, true);
        call(breaker, false);
        assertThat(breaker.getState()).as("fewer calls than the minimum").isEqualTo(CircuitBreaker.State.CLOSED);

        call(breaker, true);
        assertThat(breaker.getState()).as("2 of 4 failed: 50%").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquirePermission()).as("open: no call goes through").isFalse();
        assertThat(breakers.retryAfterSeconds("search")).isEqualTo(10);

        clock.advance(Duration.ofMillis(6_500));
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThat(breakers.retryAfterSeconds("search")).as("rounded up").isEqualTo(4);

        clock.advance(Duration.ofMillis(3_501));
        call(breaker, false);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        call(breaker, false);
        assertThat(breaker.getState()).as("both trial calls succeeded").isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).containsExactly("search: CLOSED -> OPEN", "search: OPEN -> HALF_OPEN",
                "search: HALF_OPEN -> CLOSED");
    }

    @Test
    void aFailedTrialCallOpensItAgain() {
        CircuitBreaker breaker = breakers.breaker("search", POLICY);
        for (int i = 0; i < 4; i++) {
            call(breaker, true);
        }
        clock.advance(Duration.ofSeconds(11));
        call(breaker, true);
        call(breaker, true);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquirePermission()).isFalse();
    }

    @Test
    void slowCallsOpenItToo() {
        CircuitBreaker breaker = breakers.breaker("search",
                new CircuitBreakerPolicy(100, 50, Duration.ofMillis(200), 2, 2, null, null));
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(300, TimeUnit.MILLISECONDS);
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(10, TimeUnit.MILLISECONDS);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void theSamePolicyKeepsItsBreakerAndAChangedOneStartsAFreshOne() {
        CircuitBreaker first = breakers.breaker("search", POLICY);
        for (int i = 0; i < 4; i++) {
            call(first, true);
        }

        assertThat(breakers.breaker("search", new CircuitBreakerPolicy(50, null, null, 4, 4, Duration.ofSeconds(10), 2)))
                .isSameAs(first);
        CircuitBreaker changed = breakers.breaker("search", new CircuitBreakerPolicy(90, null, null, 4, 4, null, null));
        assertThat(changed).isNotSameAs(first);
        assertThat(changed.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breakers.registry().find("search")).contains(changed);
    }
}
