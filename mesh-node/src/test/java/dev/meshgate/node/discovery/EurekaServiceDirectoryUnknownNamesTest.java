package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Names the registry does not know: answered from a bounded, expiring cache, never put in the snapshot. */
class EurekaServiceDirectoryUnknownNamesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Endpoint CALC_1 = new Endpoint("calc-1", "127.0.0.1", 15306, Map.of());
    private static final Endpoint PAY_1 = new Endpoint("pay-1", "127.0.0.1", 15406, Map.of());

    private final ScriptedRegistry registry = new ScriptedRegistry();
    private final RegistryStatus status = new RegistryStatus("http://registry", false, Clock.systemUTC());
    private final AtomicLong nanos = new AtomicLong(42);
    private final EurekaServiceDirectory directory =
            new EurekaServiceDirectory(registry, status, REFRESH, Schedulers.immediate(), nanos::get);

    EurekaServiceDirectoryUnknownNamesTest() {
        registry.steadyFetchAll = Mono.just(ScriptedRegistry.upInstances(Map.of("calc", List.of(CALC_1))));
        registry.steadyFetchDelta = Mono.just(ScriptedRegistry.delta("UP_1_", Map.of()));
    }

    @Test
    void lookingUpRandomNamesGrowsNeitherTheSnapshotNorTheUnknownNamesBeyondTheirCap() throws Exception {
        directory.refresh().block(WAIT);
        Map<String, EndpointSet> before = directory.snapshot();

        for (int i = 0; i < 10_000; i++) {
            assertThat(directory.lookup(UUID.randomUUID().toString()).get(5, TimeUnit.SECONDS).isEmpty()).isTrue();
        }

        assertThat(directory.snapshot()).containsOnlyKeys("calc").isSameAs(before);
        assertThat(directory.unknownServicesRemembered()).isEqualTo(EurekaServiceDirectory.UNKNOWN_SERVICES_CAPACITY);
        assertThat(status.view().knownClusters()).isEqualTo(1);
    }

    @Test
    void aRecentlyUnknownNameIsAnsweredEmptyWithoutTheRegistryUntilItsTimeIsUp() throws Exception {
        EndpointSet ghost = directory.lookup("Ghost").get(5, TimeUnit.SECONDS);
        assertThat(registry.clusterFetches).hasValue(1);

        nanos.addAndGet(REFRESH.toNanos() - 1);
        assertThat(directory.endpoints("ghost")).isSameAs(ghost);
        assertThat(directory.endpoints("GHOST")).isSameAs(ghost);
        assertThat(ghost.isEmpty()).isTrue();
        assertThat(ghost.service()).isEqualTo("ghost");

        nanos.incrementAndGet();
        assertThat(directory.endpoints("ghost")).as("unknown again: the caller asks the registry").isNull();
        directory.lookup("ghost").get(5, TimeUnit.SECONDS);
        assertThat(registry.clusterFetches).hasValue(2);
    }

    @Test
    void theLeastRecentlyInsertedUnknownNameIsDroppedFirst() throws Exception {
        int capacity = EurekaServiceDirectory.UNKNOWN_SERVICES_CAPACITY;
        for (int i = 0; i <= capacity; i++) {
            directory.lookup("unknown-" + i).get(5, TimeUnit.SECONDS);
        }

        assertThat(directory.endpoints("unknown-0")).isNull();
        assertThat(directory.endpoints("unknown-1")).isNotNull();
        assertThat(directory.endpoints("unknown-" + capacity)).isNotNull();
        assertThat(directory.unknownServicesRemembered()).isEqualTo(capacity);
    }

    @Test
    void aNameRegisteredAfterItWasFoundUnknownIsRoutableWithTheNextDelta() throws Exception {
        directory.refresh().block(WAIT);
        assertThat(directory.lookup("pay").get(5, TimeUnit.SECONDS).isEmpty()).isTrue();
        registry.fetchDeltaAnswers.add(Mono.just(ScriptedRegistry.delta("UP_2_", Map.of("pay", List.of(ScriptedRegistry.up(PAY_1))))));

        directory.refresh().block(WAIT);

        assertThat(directory.endpoints("pay").endpoints()).containsExactly(PAY_1);
        assertThat(registry.fetches).hasValue(1);
    }

    @Test
    void aLookupThatFindsEndpointsMakesTheNameKnownAndForgetsItWasUnknown() throws Exception {
        directory.lookup("pay").get(5, TimeUnit.SECONDS);
        assertThat(directory.unknownServicesRemembered()).isEqualTo(1);
        nanos.addAndGet(REFRESH.toNanos());
        registry.fetchClusterAnswers.add(Mono.just(List.of(PAY_1)));

        EndpointSet pay = directory.lookup("pay").get(5, TimeUnit.SECONDS);

        assertThat(pay.endpoints()).containsExactly(PAY_1);
        assertThat(directory.snapshot()).containsKey("pay");
        assertThat(directory.endpoints("pay")).isSameAs(pay);
        assertThat(directory.unknownServicesRemembered()).isZero();
        // known from now on: no expiry, later deltas keep it current
        nanos.addAndGet(10 * REFRESH.toNanos());
        assertThat(directory.endpoints("pay")).isSameAs(pay);
    }
}
