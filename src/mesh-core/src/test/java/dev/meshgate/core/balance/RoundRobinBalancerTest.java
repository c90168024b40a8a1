package dev.meshgate.core.balance;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinBalancerTest {

    private static final Endpoint A = endpoint("a", true);
    private static final Endpoint B = endpoint("b", true);
    private static final Endpoint C = endpoint("c", true);
    private static final Endpoint D = endpoint("d", true);

    @Test
    void cyclesThroughEveryEndpointInOrder() {
        RoundRobinBalancer balancer = RoundRobinBalancer.startingAtFirst();
        EndpointSet search = new EndpointSet("search", List.of(A, B, C));

        assertThat(picks(balancer, search, 6)).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void theRotationCarriesOnWhenARefreshReplacesTheSet() {
        RoundRobinBalancer balancer = RoundRobinBalancer.startingAtFirst();
        assertThat(picks(balancer, new EndpointSet("search", List.of(A, B, C)), 1)).containsExactly("a");

        EndpointSet refreshed = new EndpointSet("search", List.of(A, B, C, D));

        assertThat(picks(balancer, refreshed, 4)).containsExactly("b", "c", "d", "a");
    }

    @Test
    void eachServiceRotatesOnItsOwn() {
        RoundRobinBalancer balancer = RoundRobinBalancer.startingAtFirst();
        EndpointSet search = new EndpointSet("search", List.of(A, B));
        EndpointSet calc = new EndpointSet("calc", List.of(C, D));

        assertThat(balancer.pick(search)).isEqualTo(A);
        assertThat(balancer.pick(calc)).isEqualTo(C);
        assertThat(balancer.pick(search)).isEqualTo(B);
        assertThat(balancer.pick(calc)).isEqualTo(D);
    }

    @Test
    void skipsNotReadyEndpointsAndSharesTheTrafficEvenlyAmongTheReadyOnes() {
        RoundRobinBalancer balancer = RoundRobinBalancer.startingAtFirst();
        EndpointSet search = new EndpointSet("search", List.of(A, endpoint("b", false), C));

        assertThat(picks(balancer, search, 6)).containsExactly("a", "c", "a", "c", "a", "c");
    }

    @Test
    void picksNothingWhenNoEndpointIsReady() {
        RoundRobinBalancer balancer = new RoundRobinBalancer();

        assertThat(balancer.pick(new EndpointSet("search", List.of(endpoint("a", false), endpoint("b", false))))).isNull();
    }

    @Test
    void anEmptySetPicksNothingAndLeavesNoPositionBehind() {
        RoundRobinBalancer balancer = new RoundRobinBalancer();

        for (int i = 0; i < 1000; i++) {
            assertThat(balancer.pick(EndpointSet.empty("unknown-" + i))).isNull();
        }

        assertThat(balancer.services()).isZero();
    }

    @Test
    void freshBalancersDoNotAllStartAtTheSameEndpoint() {
        EndpointSet search = new EndpointSet("search", List.of(A, B, C, D));
        Set<Endpoint> firstPicks = new HashSet<>();

        // 100 nodes all starting at one of four endpoints: a chance of 4 in 4^100
        for (int node = 0; node < 100; node++) {
            firstPicks.add(new RoundRobinBalancer().pick(search));
        }

        assertThat(firstPicks).hasSizeGreaterThan(1);
    }

    @Test
    void survivesCounterOverflow() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(service -> Integer.MAX_VALUE - 1);
        EndpointSet search = new EndpointSet("search", List.of(A, B, C));

        assertThat(picks(balancer, search, 10)).allMatch(name -> Set.of("a", "b", "c").contains(name));
    }

    @Test
    void concurrentPicksShareTheEndpointsExactly() throws Exception {
        RoundRobinBalancer balancer = RoundRobinBalancer.startingAtFirst();
        EndpointSet search = new EndpointSet("search", List.of(A, B, C, D));
        Map<Endpoint, AtomicInteger> counts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    counts.computeIfAbsent(balancer.pick(search), endpoint -> new AtomicInteger()).incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(counts).hasSize(4);
        assertThat(counts.values()).allMatch(count -> count.get() == 1000);
    }

    private static List<String> picks(Balancer balancer, EndpointSet endpoints, int count) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picked.add(balancer.pick(endpoints).instanceId());
        }
        return picked;
    }

    private static Endpoint endpoint(String id, boolean ready) {
        return new Endpoint(id, "127.0.0.1", 15000 + id.charAt(0), Map.of(), ready);
    }
}
