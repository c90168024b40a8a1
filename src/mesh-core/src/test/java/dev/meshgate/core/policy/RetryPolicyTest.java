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
        assertThat(defaults.retryOn()).containsExactlyInAnyOrder(RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.RESET);
        assertThat(defaults.allows(RetryOn.GATEWAY_ERROR, 1)).as("a 5xx answer only where a route opts in").isFalse();
        assertThat(defaults.allows(RetryOn.CONNECT_FAILURE, 1)).isTrue();
        assertThat(defaults.allows(RetryOn.CONNECT_FAILURE, 2)).as("the second try was the last").isFalse();
    }

    @Test
    void onlyTheListedConditionsAreRetried() {
        RetryPolicy policy = new RetryPolicy(3, Set.of(RetryOn.RESET));

        assertThat(policy.allows(RetryOn.RESET, 2)).isTrue();
        assertThat(policy.allows(RetryOn.CONNECT_FAILURE, 1)).isFalse();
        assertThat(new RetryPolicy(1, null).allows(RetryOn.CONNECT_FAILURE, 1)).as("one attempt: no retries").isFalse();
    }

    @Test
    void attemptsOutsideOneToTenAreRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> new RetryPolicy(0, null)).hasMessage("retries.attempts must be between 1 and 10, was 0");
        assertThatThrownBy(() -> new RetryPolicy(11, null)).hasMessageContaining("was 11");
    }

    @Test
    void routesInheritTheirServicesRetriesAndServicesTheMeshDefault() {
        RetryPolicy meshWide = new RetryPolicy(3, null);
        RetryPolicy searchOwn = new RetryPolicy(4, Set.of(RetryOn.CONNECT_FAILURE));
        RetryPolicy reportsOwn = new RetryPolicy(1, null);
        RoutePolicy reports = new RoutePolicy("reports", "/reports", List.of(), null, false, reportsOwn);
        RoutePolicy events = new RoutePolicy("events", "/events", List.of(), null, true, null);
        MeshPolicy policy = MeshPolicy.of(Duration.ofSeconds(5), meshWide, Map.of(
                "search", new ServicePolicy(null, searchOwn, List.of(reports, events)),
                "calc", new ServicePolicy(null, null, List.of())));

        assertThat(policy.service("search").route("GET", "/reports/q3").retries()).isEqualTo(reportsOwn);
        assertThat(policy.service("search").route("GET", "/events").retries()).isEqualTo(searchOwn);
        assertThat(policy.service("search").route("GET", "/other").retries()).isEqualTo(searchOwn);
        assertThat(policy.service("calc").route("GET", "/").retries()).isEqualTo(meshWide);
        assertThat(policy.service("unknown").route("GET", "/").retries()).isEqualTo(meshWide);
        assertThat(MeshPolicy.defaults().service("any").route("GET", "/").retries()).isEqualTo(RetryPolicy.DEFAULT);
    }
}
