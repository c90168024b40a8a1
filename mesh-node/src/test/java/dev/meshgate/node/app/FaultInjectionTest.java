package dev.meshgate.node.app;

import dev.meshgate.core.policy.FaultPolicy;
import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault stage through a node: a route's fault policy delays and aborts its share of requests,
 * each at its configured rate, marks them in {@code x-mesh-fault} and {@code mesh_proxy_faults_total};
 * a header match limits it to the requests that carry it, and other routes are untouched.
 */
class FaultInjectionTest {

    private static final int REQUESTS = 2_000;

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private TestNode nodeWithFault(FaultPolicy fault) {
        RoutePolicy chaos = new RoutePolicy("chaos", "/chaos", null, null, false, null, null, fault);
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search", ServicePolicy.of(null, null, List.of(chaos))));
        return topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
    }

    private double faults(TestNode node, String kind) {
        var counter = node.registry.find("mesh.proxy.faults").tag("service", "search").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void delaysAndAbortsFallAtTheirConfiguredRates() {
        RecordingUpstream search = topology.startApp("search-1");
        topology.directory().put("search", search.port());
        TestNode node = nodeWithFault(new FaultPolicy(new FaultPolicy.Delay(10.0, Duration.ofMillis(2)),
                new FaultPolicy.Abort(20.0, 418), null));
        int delayed = 0;
        int aborted = 0;
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < REQUESTS; i++) {
                RawHttpClient.Response response = client.send("GET /chaos/" + i + " HTTP/1.1\r\nHost: search\r\n\r\n").read();
                String marker = response.header("x-mesh-fault");
                if (response.status() == 418) {
                    aborted++;
                    assertThat(marker).endsWith("abort");
                    assertThat(response.bodyText()).contains("\"error\":\"fault_injected\"", "\"status\":418", "\"route\":\"chaos\"");
                } else {
                    assertThat(response.status()).isEqualTo(200);
                }
                if (marker != null && marker.startsWith("delay")) {
                    delayed++;
                }
            }
        }
        assertThat(100.0 * aborted / REQUESTS).as("aborted %").isBetween(17.0, 23.0);
        assertThat(100.0 * delayed / REQUESTS).as("delayed %").isBetween(7.0, 13.0);
        assertThat(search.requestCount()).as("an aborted request never reaches the service").isEqualTo(REQUESTS - aborted);
        assertThat(faults(node, "abort")).isEqualTo(aborted);
        assertThat(faults(node, "delay")).isEqualTo(delayed);
    }

    @Test
    void theCalleesNodeDoesNotInjectTheFaultAgain() {
        RecordingUpstream app = topology.startApp("test-1");
        RoutePolicy chaos = new RoutePolicy("chaos", "/chaos", null, null, false, null, null,
                new FaultPolicy(null, new FaultPolicy.Abort(null, 503), null));
        // the node fronts "test": the policy of calls to test is its callers' to apply, not its own inbound's
        MeshPolicy policy = MeshPolicy.of(null, Map.of("test", ServicePolicy.of(null, null, List.of(chaos))));
        TestNode node = topology.startNode(TestNode.properties(app.port(), 0, 0, TestNode.defaultProxy()), policy);
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client.send("GET /chaos/1 HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-mesh-fault")).isNull();
        }
        assertThat(app.requestCount()).isEqualTo(1);
    }

    @Test
    void aHeaderMatchLimitsTheFaultToTheRequestsCarryingItAndOtherRoutesAreUntouched() {
        RecordingUpstream search = topology.startApp("search-1");
        topology.directory().put("search", search.port());
        TestNode node = nodeWithFault(new FaultPolicy(null, new FaultPolicy.Abort(null, 503), Map.of("x-chaos", "on")));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            assertThat(client.send("GET /chaos/1 HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(client.send("GET /chaos/2 HTTP/1.1\r\nHost: search\r\nX-Chaos: off\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(client.send("GET /other HTTP/1.1\r\nHost: search\r\nX-Chaos: on\r\n\r\n").read().status()).isEqualTo(200);

            RawHttpClient.Response aborted = client.send("GET /chaos/3 HTTP/1.1\r\nHost: search\r\nX-Chaos: on\r\n\r\n").read();
            assertThat(aborted.status()).isEqualTo(503);
            assertThat(aborted.header("x-mesh-fault")).isEqualTo("abort");
        }
        assertThat(search.requestCount()).isEqualTo(3);
        assertThat(faults(node, "abort")).isEqualTo(1);
    }
}
