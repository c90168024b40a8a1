package dev.meshgate.node.app;

import dev.meshgate.core.policy.CircuitBreakerPolicy;
import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryPolicy;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker stage through a node, on the breakers' virtual clock: a service failing its
 * calls is refused at once with 503 {@code circuit_open} and {@code Retry-After}, no attempt reaching
 * it, until the wait has passed and trial calls succeed.
 */
class CircuitBreakerTest {

    /** Opens when half of the last 4 calls failed; 10 s open; 2 trial calls. */
    private static final CircuitBreakerPolicy BREAKER = new CircuitBreakerPolicy(50, null, null, 4, 4, Duration.ofSeconds(10), 2);

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private final AtomicBoolean failing = new AtomicBoolean(true);

    private TestNode callerNode(MeshPolicy policy) {
        return topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
    }

    private RecordingUpstream flakyUpstream() {
        return topology.startApp((request, response) -> failing.get()
                ? response.status(500).sendString(Mono.just("broken"))
                : response.sendString(Mono.just("fine")));
    }

    private static int get(RawHttpClient client, String path) {
        return client.send("GET " + path + " HTTP/1.1\r\nHost: search\r\n\r\n").read().status();
    }

    @Test
    void opensAtItsThresholdFailsFastThenHalfOpensAndClosesOnSuccess() {
        RecordingUpstream search = flakyUpstream();
        topology.directory().put("search", search.port());
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search",
                new ServicePolicy(null, RetryPolicy.of(1, null), null, BREAKER, null, List.of())));
        TestNode node = callerNode(policy);
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 4; i++) {
                assertThat(get(client, "/q/" + i)).isEqualTo(500);
            }

            RawHttpClient.Response refused = client.send("GET /q/5 HTTP/1.1\r\nHost: search\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("retry-after")).isEqualTo("10");
            assertThat(refused.bodyText()).contains("\"error\":\"circuit_open\"", "\"breaker\":\"search\"");
            assertThat(search.requestCount()).as("an open breaker sends nothing to the upstream").isEqualTo(4);

            failing.set(false);
            node.breakerClock.advance(Duration.ofSeconds(11));
            assertThat(get(client, "/trial/1")).isEqualTo(200);
            assertThat(get(client, "/trial/2")).isEqualTo(200);
            assertThat(get(client, "/after")).isEqualTo(200);
        }
        assertThat(search.requestCount()).isEqualTo(7);
        assertThat(node.registry.find("mesh.proxy.breaker.transitions").tag("name", "search").tag("to", "closed")
                .counter().count()).isEqualTo(1);
        assertThat(node.registry.find("resilience4j.circuitbreaker.state").tag("name", "search").tag("state", "closed")
                .gauge().value()).isEqualTo(1);
    }

    @Test
    void aRouteWithItsOwnBreakerOpensAloneAndServicesWithoutOneHaveNone() {
        RecordingUpstream search = flakyUpstream();
        topology.directory().put("search", search.port());
        RoutePolicy reports = new RoutePolicy("reports", "/reports", null, null, false, RetryPolicy.of(1, null), BREAKER, null);
        TestNode node = callerNode(MeshPolicy.of(null, Map.of("search", ServicePolicy.of(null, null, List.of(reports)))));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 4; i++) {
                assertThat(get(client, "/reports/" + i)).isEqualTo(500);
            }
            assertThat(get(client, "/reports/5")).isEqualTo(503);
            for (int i = 0; i < 6; i++) {
                assertThat(get(client, "/other/" + i)).as("the rest of search has no breaker").isEqualTo(500);
            }
        }
        assertThat(node.registry.find("resilience4j.circuitbreaker.state").tag("name", "search/reports").tag("state", "open")
                .gauge().value()).isEqualTo(1);
    }
}
