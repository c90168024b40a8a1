package dev.meshgate.core.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CircuitBreakerPolicyTest {

    @Test
    void unsetValuesTakeResilience4jLikeDefaults() {
        CircuitBreakerPolicy policy = new CircuitBreakerPolicy(null, null, null, null, null, null, null);

        assertThat(policy).isEqualTo(new CircuitBreakerPolicy(50, 100, Duration.ofSeconds(5), 20, 10, Duration.ofSeconds(10), 3));
    }

    @Test
    void badValuesAreRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> new CircuitBreakerPolicy(120, null, null, null, null, null, null))
                .hasMessage("circuit-breaker.failure-rate-threshold must be a percentage from 1 to 100, was 120");
        assertThatThrownBy(() -> new CircuitBreakerPolicy(null, null, null, 0, null, null, null))
                .hasMessage("circuit-breaker.sliding-window must be at least 1, was 0");
        assertThatThrownBy(() -> new CircuitBreakerPolicy(null, null, null, null, null, Duration.ofSeconds(-1), null))
                .hasMessage("circuit-breaker.wait-in-open must be a positive duration, was PT-1S");
    }

    @Test
    void routesShareTheirServicesBreakerUnlessTheyHaveTheirOwn() {
        CircuitBreakerPolicy searchOwn = new CircuitBreakerPolicy(40, null, null, null, null, null, null);
        CircuitBreakerPolicy reportsOwn = new CircuitBreakerPolicy(90, null, null, null, null, null, null);
        RoutePolicy reports = new RoutePolicy("reports", "/reports", null, null, false, null, reportsOwn, null);
        RoutePolicy events = RoutePolicy.of("events", "/events", null, null, true, null);
        MeshPolicy policy = MeshPolicy.of(null, Map.of(
                "search", new ServicePolicy(null, null, null, searchOwn, null, List.of(reports, events)),
                "calc", ServicePolicy.of(null, null, List.of())));
        ServicePolicy search = policy.service("search");

        assertThat(search.route("GET", "/reports/1").circuitBreaker()).isEqualTo(reportsOwn);
        assertThat(search.breakerName("search", search.route("GET", "/reports/1"))).isEqualTo("search/reports");
        assertThat(search.breakerName("search", search.route("GET", "/events"))).isEqualTo("search");
        assertThat(search.breakerName("search", search.route("GET", "/other"))).isEqualTo("search");
        assertThat(policy.service("calc").route("GET", "/").circuitBreaker()).as("off unless declared").isNull();
        assertThat(policy.service("calc").breakerName("calc", policy.service("calc").route("GET", "/"))).isNull();
    }
}
