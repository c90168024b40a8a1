package dev.meshgate.node.policy;

import dev.meshgate.controlplane.PolicyBinding;
import dev.meshgate.core.policy.BackoffPolicy;
import dev.meshgate.core.policy.BulkheadPolicy;
import dev.meshgate.core.policy.CircuitBreakerPolicy;
import dev.meshgate.core.policy.FaultPolicy;
import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryBudgetPolicy;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RetryPolicy;
import dev.meshgate.core.policy.RoutePolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code mesh.policy} as the config repository writes it, bound to mesh-core's records. */
class PolicyBindingTest {

    private static MeshPolicy bind(Map<String, String> values) {
        return PolicyBinding.bind(List.of(new MapConfigurationPropertySource(values))).toPolicy();
    }

    @Test
    void nothingConfiguredGivesTheSafeDefault() {
        assertThat(bind(Map.of()).service("search").route("GET", "/").requestTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void bindsServicesAndRoutes() {
        MeshPolicy policy = bind(Map.of(
                "mesh.policy.request-timeout", "5s",
                "mesh.policy.services.search.request-timeout", "2s",
                "mesh.policy.services.search.routes[0].name", "events",
                "mesh.policy.services.search.routes[0].path-prefix", "/events",
                "mesh.policy.services.search.routes[0].stream", "true",
                "mesh.policy.services.search.routes[1].name", "reports",
                "mesh.policy.services.search.routes[1].path-prefix", "/reports",
                "mesh.policy.services.search.routes[1].methods", "GET,HEAD",
                "mesh.policy.services.search.routes[1].request-timeout", "60s"));

        assertThat(policy.service("search").route("GET", "/events/1").requestTimeoutNanos()).isZero();
        assertThat(policy.service("search").route("HEAD", "/reports").requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.service("search").route("POST", "/x").requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.service("other").route("GET", "/").requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBadValueNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> bind(Map.of(
                "mesh.policy.services.search.routes[0].name", "events",
                "mesh.policy.services.search.routes[0].path-prefix", "events")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy.services.search")
                .rootCause().hasMessageContaining("path-prefix must start with '/', was 'events'");
    }

    @Test
    void bindsRetriesMeshWideAndPerServiceAndRoute() {
        MeshPolicy policy = bind(Map.of(
                "mesh.policy.retries.attempts", "3",
                "mesh.policy.services.search.retries.retry-on[0]", "connect-failure",
                "mesh.policy.services.search.routes[0].name", "orders",
                "mesh.policy.services.search.routes[0].path-prefix", "/orders",
                "mesh.policy.services.search.routes[0].retries.attempts", "1"));

        assertThat(policy.service("other").route("GET", "/").retries())
                .isEqualTo(RetryPolicy.of(3, null));
        assertThat(policy.service("search").route("GET", "/").retries())
                .isEqualTo(RetryPolicy.of(null, Set.of(RetryOn.CONNECT_FAILURE)));
        assertThat(policy.service("search").route("GET", "/orders/7").retries().attempts()).isEqualTo(1);
    }

    @Test
    void bindsPerTryTimeoutBackoffAndRetryBudget() {
        MeshPolicy policy = bind(Map.of(
                "mesh.policy.retry-budget.ratio", "0.1",
                "mesh.policy.services.search.retries.per-try-timeout", "300ms",
                "mesh.policy.services.search.retries.backoff.base", "10ms",
                "mesh.policy.services.search.retries.backoff.max", "40ms",
                "mesh.policy.services.search.retry-budget.min-per-second", "3",
                "mesh.policy.services.search.retry-budget.window", "5s"));

        RetryPolicy search = policy.service("search").route("GET", "/").retries();
        assertThat(search.perTryTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(search.backoff()).isEqualTo(new BackoffPolicy(Duration.ofMillis(10), Duration.ofMillis(40)));
        assertThat(policy.service("search").retryBudget()).isEqualTo(new RetryBudgetPolicy(null, 3, Duration.ofSeconds(5)));
        assertThat(policy.service("other").retryBudget()).isEqualTo(new RetryBudgetPolicy(0.1, null, null));
    }

    @Test
    void aBudgetRatioOverOneIsRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.services.search.retry-budget.ratio", "1.5")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy.services.search.retry-budget")
                .rootCause().hasMessage("retry-budget.ratio must be between 0 and 1, was 1.5");
    }

    @Test
    void bindsCircuitBreakersAndBulkheads() {
        MeshPolicy policy = bind(Map.of(
                "mesh.policy.services.search.circuit-breaker.failure-rate-threshold", "30",
                "mesh.policy.services.search.circuit-breaker.wait-in-open", "20s",
                "mesh.policy.services.search.bulkhead.max-requests", "100",
                "mesh.policy.services.search.routes[0].name", "reports",
                "mesh.policy.services.search.routes[0].path-prefix", "/reports",
                "mesh.policy.services.search.routes[0].circuit-breaker.slow-call-duration", "2s"));

        assertThat(policy.service("search").circuitBreaker())
                .isEqualTo(new CircuitBreakerPolicy(30, null, null, null, null, Duration.ofSeconds(20), null));
        assertThat(policy.service("search").route("GET", "/reports/1").circuitBreaker().slowCallDuration())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.service("search").bulkhead()).isEqualTo(new BulkheadPolicy(100, null, null));
        assertThat(policy.service("other").circuitBreaker()).isNull();
        assertThat(policy.hasBulkheads()).isTrue();
    }

    @Test
    void bindsARoutesFaultsAndRetriedStatuses() {
        MeshPolicy policy = bind(Map.of(
                "mesh.policy.services.search.routes[0].name", "chaos",
                "mesh.policy.services.search.routes[0].path-prefix", "/chaos",
                "mesh.policy.services.search.routes[0].fault.delay.percent", "12.5",
                "mesh.policy.services.search.routes[0].fault.delay.fixed", "2s",
                "mesh.policy.services.search.routes[0].fault.abort.status", "503",
                "mesh.policy.services.search.routes[0].fault.headers.x-chaos", "on",
                "mesh.policy.services.search.routes[0].retries.statuses", "409,500",
                "mesh.policy.services.search.routes[0].retries.non-idempotent", "true",
                "mesh.policy.services.search.routes[0].retries.replay-body-limit", "1024"));

        RoutePolicy chaos = policy.service("search").route("GET", "/chaos");
        assertThat(chaos.fault()).isEqualTo(new FaultPolicy(new FaultPolicy.Delay(12.5, Duration.ofSeconds(2)),
                new FaultPolicy.Abort(100.0, 503), Map.of("x-chaos", "on")));
        assertThat(chaos.retries().retriesStatus(409)).isTrue();
        assertThat(chaos.retries().nonIdempotent()).isTrue();
        assertThat(chaos.retries().replayBodyLimit()).isEqualTo(1024);
        assertThat(policy.service("search").route("GET", "/other").fault()).isNull();
    }

    @Test
    void aFaultPercentageOver100IsRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.services.search.routes[0].name", "chaos",
                "mesh.policy.services.search.routes[0].fault.abort.percent", "101",
                "mesh.policy.services.search.routes[0].fault.abort.status", "503")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy.services.search.routes[0].fault.abort")
                .rootCause().hasMessage("fault.abort.percent must be a percentage from 0 to 100, was 101.0");
    }

    @Test
    void aPercentageOver100IsRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.services.search.circuit-breaker.failure-rate-threshold", "150")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy.services.search.circuit-breaker")
                .rootCause().hasMessage("circuit-breaker.failure-rate-threshold must be a percentage from 1 to 100, was 150");
    }

    @Test
    void aNegativeTimeoutIsRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.services.search.retries.per-try-timeout", "-1s")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy.services.search.retries")
                .rootCause().hasMessage("retries.per-try-timeout must be a positive duration, was PT-1S");
    }

    @Test
    void anUnknownKeyIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.services.search.retries.attempt", "3")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy")
                .rootCause().hasMessageContaining("mesh.policy.services.search.retries.attempt");
    }

    @Test
    void anUnknownRetryOnNameOrTooManyAttemptsIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.services.search.retries.retry-on[0]", "on-a-whim")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy.services.search.retries.retry-on")
                .rootCause().hasMessageContaining("on-a-whim");
        assertThatThrownBy(() -> bind(Map.of("mesh.policy.retries.attempts", "0")))
                .isInstanceOf(PolicyBinding.InvalidPolicyException.class)
                .hasMessageContaining("mesh.policy")
                .rootCause().hasMessageContaining("retries.attempts must be between 1 and 10, was 0");
    }
}
