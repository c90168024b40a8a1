package dev.meshgate.node.app;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RetryPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry stage on connect failure: a try that cannot reach its endpoint goes again to another
 * endpoint of the service, whatever the method (nothing reached the upstream), within the route's
 * attempts, and says so in {@code x-mesh-attempts} and {@code mesh_proxy_retries_total}; the refused
 * endpoint leaves rotation at once.
 */
class RetryTest {

    private static final String ATTEMPTS_HEADER = "x-mesh-attempts";

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private TestNode callerNode(MeshPolicy policy) {
        return topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
    }

    private static double retries(TestNode node) {
        return node.registry.find("mesh.proxy.retries").tag("direction", "outbound").tag("reason", "connect_failure")
                .counter().count();
    }

    @Test
    void aDeadEndpointCostsTheCallerNothingWhateverTheMethod() {
        RecordingUpstream live = topology.startApp("search-2");
        topology.directory().put("search", FreePorts.closed(), live.port());
        TestNode node = callerNode(MeshPolicy.defaults());
        int retried = 0;
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 6; i++) {
                String request = i % 2 == 0 ? "GET /plans/" + i + " HTTP/1.1\r\nHost: search\r\n\r\n"
                        : "POST /orders/" + i + " HTTP/1.1\r\nHost: search\r\nContent-Length: 5\r\n\r\nhello";
                RawHttpClient.Response response = client.send(request).read();

                assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
                if ("2".equals(response.header(ATTEMPTS_HEADER))) {
                    retried++;
                }
            }
        }
        // the first try that meets the dead endpoint is refused and goes again; the refusal ejects the
        // endpoint at once (outlier detection), so no later request meets it
        assertThat(retried).isEqualTo(1);
        assertThat(live.requestCount()).isEqualTo(6);
        assertThat(retries(node)).isEqualTo(1);
        assertThat(node.registry.find("mesh.proxy.ejections").tag("service", "search").counter().count()).isEqualTo(1);
    }

    @Test
    void withASingleDeadEndpointTheLastTryAnswers502() {
        int dead = FreePorts.closed();
        topology.directory().put("search", dead);
        TestNode node = callerNode(MeshPolicy.defaults());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("\"error\":\"upstream_connect_refused\"", "127.0.0.1:" + dead);
        }
        assertThat(retries(node)).as("the default policy's one retry").isEqualTo(1);
    }

    @Test
    void aRouteWithOneAttemptIsNotRetried() {
        topology.directory().put("search", FreePorts.closed());
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search", ServicePolicy.of(null, RetryPolicy.of(1, null), List.of())));
        TestNode node = callerNode(policy);
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(502);
        }
        assertThat(retries(node)).isZero();
    }

    @Test
    void aRouteThatOptsInAsksAnotherEndpointAfterA503() {
        RecordingUpstream busy = topology.startApp((request, response) -> response.status(503).sendString(Mono.just("busy")));
        RecordingUpstream live = topology.startApp("search-2");
        topology.directory().put("search", busy.port(), live.port());
        TestNode node = callerNode(MeshPolicy.of(null, RetryPolicy.of(2, Set.of(RetryOn.GATEWAY_ERROR)), Map.of()));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 6; i++) {
                RawHttpClient.Response response = client.send("GET /plans/" + i + " HTTP/1.1\r\nHost: search\r\n\r\n").read();

                assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            }
        }
        assertThat(busy.requestCount()).as("the busy endpoint was asked, and its answers dropped").isPositive();
        assertThat(node.registry.find("mesh.proxy.retries").tag("reason", "gateway_error").counter().count())
                .isEqualTo(busy.requestCount());
    }

    @Test
    void aStatusTheRouteListsIsAskedOfAnotherEndpoint() {
        RecordingUpstream conflicted = topology.startApp((request, response) -> response.status(409).sendString(Mono.just("no")));
        RecordingUpstream live = topology.startApp("search-2");
        topology.directory().put("search", conflicted.port(), live.port());
        RetryPolicy listing409 = new RetryPolicy(2, Set.of(), null, null, Set.of(409), null, null);
        TestNode node = callerNode(MeshPolicy.of(null, Map.of("search", ServicePolicy.of(null, listing409, List.of()))));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 4; i++) {
                RawHttpClient.Response response = client.send("GET /plans/" + i + " HTTP/1.1\r\nHost: search\r\n\r\n").read();

                assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            }
        }
        assertThat(conflicted.requestCount()).isPositive();
        assertThat(node.registry.find("mesh.proxy.retries").tag("reason", "retriable_status_codes").counter().count())
                .isEqualTo(conflicted.requestCount());
    }

    @Test
    void byDefaultA503IsPassedOnAsTheUpstreamSentIt() {
        RecordingUpstream busy = topology.startApp((request, response) -> response.status(503).sendString(Mono.just("busy")));
        topology.directory().put("search", busy.port());
        TestNode node = callerNode(MeshPolicy.defaults());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.bodyText()).isEqualTo("busy");
        }
        assertThat(busy.requestCount()).isEqualTo(1);
    }
}
