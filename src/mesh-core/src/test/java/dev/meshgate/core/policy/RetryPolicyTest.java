package dev.meshgate.core.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void withNoConfigurationATryIsMadeOnceMoreWhereTheUpstreamCannotHaveActed() {
        RetryPolicy defaults = RetryPolicy.DEFAULT;

        assertThat(defaults.attempts()).isEqualTo(2);
        assertThat(defaults.retryOn()).containsExactlyInAnyOrder(RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.RESET,
                RetryOn.PER_TRY_TIMEOUT);
        assertThat(defaults.perTryTimeoutNanos()).as("no per-try timeout unless configured").isZero();
        assertThat(defaults.backoff()).isEqualTo(BackoffPolicy.DEFAULT);
        assertThat(defaults.allows(RetryOn.GATEWAY_ERROR, 1)).as("a 5xx answer only where a route opts in").isFalse();
        assertThat(defaults.allows(RetryOn.CONNECT_FAILURE, 1)).isTrue();
        assertThat(defaults.allows(RetryOn.CONNECT_FAILURE, 2)).as("the second try was the last").isFalse();
    }

    @Test
    void onlyTheListedConditionsAreRetried() {
        RetryPolicy policy = RetryPolicy.of(3, Set.of(RetryOn.RESET));

        assertThat(policy.allows(RetryOn.RESET, 2)).isTrue();
        assertThat(policy.allows(RetryOn.CONNECT_FAILURE, 1)).isFalse();
        assertThat(RetryPolicy.of(1, null).allows(RetryOn.CONNECT_FAILURE, 1)).as("one attempt: no retries").isFalse();
    }

    @Test
    void attemptsOutsideOneToTenAreRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> RetryPolicy.of(0, null)).hasMessage("retries.attempts must be between 1 and 10, was 0");
        assertThatThrownBy(() -> RetryPolicy.of(11, null)).hasMessageContaining("was 11");
    }

    @Test
    void listedStatusesAreRetriedAndOnlyClientOrServerErrorsMayBeListed() {
        RetryPolicy policy = new RetryPolicy(3, Set.of(RetryOn.CONNECT_FAILURE), null, null, Set.of(409, 500), null, null);

        assertThat(policy.retriesStatus(409)).isTrue();
        assertThat(policy.retriesStatus(503)).as("not listed, and gateway-error not asked for").isFalse();
        assertThat(policy.allows(RetryOn.RETRIABLE_STATUS_CODES, 1)).as("listing statuses asks for their retry").isTrue();
        assertThat(RetryPolicy.DEFAULT.retriesStatus(500)).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(2, null, null, null, Set.of(200), null, null))
                .hasMessage("retries.statuses must be 4xx or 5xx statuses, was 200");
    }

    @Test
    void onlyReplayableRequestsAreRetriedUnlessTheRouteOptsInAndBodiesAreKeptUpTo64KiB() {
        assertThat(RetryPolicy.DEFAULT.nonIdempotent()).isFalse();
        assertThat(RetryPolicy.DEFAULT.replayBodyLimit()).isEqualTo(64 * 1024);
        assertThat(new RetryPolicy(2, null, null, null, null, true, 1024).nonIdempotent()).isTrue();
        assertThatThrownBy(() -> new RetryPolicy(2, null, null, null, null, null, -1))
                .hasMessage("retries.replay-body-limit must be between 0 and 16777216 bytes, was -1");
    }

    @Test
    void aPerTryTimeoutMustBePositive() {
        assertThatThrownBy(() -> new RetryPolicy(2, null, Duration.ofMillis(-1), null, null, null, null))
                .hasMessage("retries.per-try-timeout must be a positive duration, was PT-0.001S");
        assertThat(new RetryPolicy(2, null, Duration.ofMillis(300), null, null, null, null).perTryTimeoutNanos()).isEqualTo(300_000_000L);
    }

    @Test
    void aServiceHasTheMeshWideRetryBudgetUnlessItSetsItsOwn() {
        RetryBudgetPolicy meshWide = new RetryBudgetPolicy(0.1, 5, null);
        RetryBudgetPolicy searchOwn = new RetryBudgetPolicy(0.5, null, null);
        MeshPolicy policy = MeshPolicy.of(null, null, meshWide, Map.of(
                "search", new ServicePolicy(null, null, searchOwn, null, null, List.of()),
                "calc", ServicePolicy.of(null, null, List.of())));

        assertThat(policy.service("search").retryBudget()).isEqualTo(searchOwn);
        assertThat(policy.service("calc").retryBudget()).isEqualTo(meshWide);
        assertThat(policy.service("unknown").retryBudget()).isEqualTo(meshWide);
        assertThat(MeshPolicy.defaults().service("any").retryBudget()).isEqualTo(RetryBudgetPolicy.DEFAULT);
    }

    @Test
    void routesInheritTheirServicesRetriesAndServicesTheMeshDefault() {
        RetryPolicy meshWide = RetryPolicy.of(3, null);
        RetryPolicy searchOwn = RetryPolicy.of(4, Set.of(RetryOn.CONNECT_FAILURE));
        RetryPolicy reportsOwn = RetryPolicy.of(1, null);
        RoutePolicy reports = RoutePolicy.of("reports", "/reports", List.of(), null, false, reportsOwn);
        RoutePolicy events = RoutePolicy.of("events", "/events", List.of(), null, true, null);
        MeshPolicy policy = MeshPolicy.of(Duration.ofSeconds(5), meshWide, Map.of(
                "search", ServicePolicy.of(null, searchOwn, List.of(reports, events)),
                "calc", ServicePolicy.of(null, null, List.of())));

        assertThat(policy.service("search").route("GET", "/reports/q3").retries()).isEqualTo(reportsOwn);
        assertThat(policy.service("search").route("GET", "/events").retries()).isEqualTo(searchOwn);
        assertThat(policy.service("search").route("GET", "/other").retries()).isEqualTo(searchOwn);
        assertThat(policy.service("calc").route("GET", "/").retries()).isEqualTo(meshWide);
        assertThat(policy.service("unknown").route("GET", "/").retries()).isEqualTo(meshWide);
        assertThat(MeshPolicy.defaults().service("any").route("GET", "/").retries()).isEqualTo(RetryPolicy.DEFAULT);
    }
}
