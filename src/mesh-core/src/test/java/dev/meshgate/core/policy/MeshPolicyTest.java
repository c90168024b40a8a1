package dev.meshgate.core.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeshPolicyTest {

    private static final RoutePolicy EVENTS = RoutePolicy.of("events", "/events", List.of(), null, true, null);
    private static final RoutePolicy REPORTS = RoutePolicy.of("reports", "/reports", List.of("get"), Duration.ofSeconds(60), false, null);

    @Test
    void everyServiceGetsTheSafeDefaultTimeout() {
        RoutePolicy route = MeshPolicy.defaults().service("anything").route("GET", "/");

        assertThat(route.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(route.requestTimeoutNanos()).isEqualTo(Duration.ofSeconds(15).toNanos());
    }

    @Test
    void routesMatchInOrderAndInheritTheServiceTimeout() {
        MeshPolicy policy = MeshPolicy.of(Duration.ofSeconds(5),
                Map.of("Search", ServicePolicy.of(Duration.ofSeconds(2), null, List.of(EVENTS, REPORTS))));
        ServicePolicy search = policy.service("search");

        assertThat(search.route("GET", "/events/stream").name()).isEqualTo("events");
        assertThat(search.route("GET", "/events/stream").requestTimeoutNanos()).as("a stream has none").isZero();
        assertThat(search.route("GET", "/reports/2026").requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(search.route("POST", "/reports/2026").name()).as("method not matched").isEqualTo("default");
        assertThat(search.route("POST", "/reports/2026").requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.service("other").route("GET", "/").requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badValuesAreRejectedNamingKeyAndValue() {
        assertThatThrownBy(() -> RoutePolicy.of("r", "events", List.of(), null, false, null))
                .hasMessageContaining("path-prefix").hasMessageContaining("'events'");
        assertThatThrownBy(() -> RoutePolicy.of("r", "/", List.of(), Duration.ZERO, false, null))
                .hasMessageContaining("request-timeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RoutePolicy.of(" ", "/", List.of(), null, false, null)).hasMessageContaining("name");
        assertThatThrownBy(() -> RoutePolicy.of("r", "/", List.of("G T"), null, false, null)).hasMessageContaining("'G T'");
        assertThatThrownBy(() -> MeshPolicy.of(Duration.ofSeconds(-1), Map.of()))
                .hasMessageContaining("mesh.policy.request-timeout");
        assertThatThrownBy(() -> MeshPolicy.of(null, Map.of("no_such name", ServicePolicy.of(null, null, null))))
                .hasMessageContaining("'no_such name'");
    }

    @Test
    void aSwappedSnapshotLeavesTheOneTakenBefore() {
        PolicyStore store = new PolicyStore(MeshPolicy.defaults());
        MeshPolicy taken = store.current();

        store.replace(MeshPolicy.of(Duration.ofSeconds(1), Map.of()));

        assertThat(taken.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(store.current().requestTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void onlySafeMethodsOrKeyedRequestsAreReplayable() {
        assertThat(Replay.replayable("GET", false)).isTrue();
        assertThat(Replay.replayable("HEAD", false)).isTrue();
        assertThat(Replay.replayable("OPTIONS", false)).isTrue();
        assertThat(Replay.replayable("POST", false)).isFalse();
        assertThat(Replay.replayable("PUT", false)).isFalse();
        assertThat(Replay.replayable("DELETE", false)).isFalse();
        assertThat(Replay.replayable("POST", true)).isTrue();
    }
}
