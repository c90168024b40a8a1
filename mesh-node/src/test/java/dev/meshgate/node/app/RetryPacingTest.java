package dev.meshgate.node.app;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryBudgetPolicy;
import dev.meshgate.core.policy.RetryOn;
import dev.meshgate.core.policy.RetryPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry stage's pacing: a per-try timeout that gives up on a hung endpoint and asks another, and
 * the service's retry budget, which keeps a service that fails every request from seeing a retry storm.
 */
class RetryPacingTest {

    private static final Duration PER_TRY = Duration.ofMillis(200);

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private TestNode callerNode(MeshPolicy policy) {
        return topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
    }

    private static MeshPolicy searchRetries(RetryPolicy retries, RetryBudgetPolicy budget) {
        return MeshPolicy.of(null, Map.of("search", new ServicePolicy(null, retries, budget, null, null, List.of())));
    }

    private static double count(TestNode node, String meter, String tag, String value) {
        var counter = node.registry.find(meter).tag("direction", "outbound").tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aHungEndpointCostsTheCallerOnePerTryTimeoutNotAFailure() {
        RecordingUpstream hung = topology.startApp((request, response) -> Mono.never());
        RecordingUpstream live = topology.startApp("search-2");
        topology.directory().put("search", hung.port(), live.port());
        TestNode node = callerNode(searchRetries(new RetryPolicy(2, null, PER_TRY, null, null, null, null), null));
        int retried = 0;
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 4; i++) {
                RawHttpClient.Response response = client.send("GET /plans/" + i + " HTTP/1.1\r\nHost: search\r\n\r\n").read();

                assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
                assertThat(response.bodyText()).startsWith("search-2");
                if ("2".equals(response.header("x-mesh-attempts"))) {
                    retried++;
                }
            }
        }
        int hungTries = hung.requestCount();
        assertThat(hungTries).as("the balancer sent first tries to the hung endpoint").isPositive();
        assertThat(retried).as("each of them went again, to the live one").isEqualTo(hungTries);
        assertThat(count(node, "mesh.proxy.timeouts", "kind", "per_try")).isEqualTo(hungTries);
        assertThat(count(node, "mesh.proxy.retries", "reason", "per_try_timeout")).isEqualTo(hungTries);
    }

    @Test
    void withNoTryLeftThe504SaysThePerTryTimeoutFired() {
        RecordingUpstream hung = topology.startApp((request, response) -> Mono.never());
        topology.directory().put("search", hung.port());
        TestNode node = callerNode(searchRetries(new RetryPolicy(1, null, PER_TRY, null, null, null, null), null));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.bodyText()).contains("\"error\":\"upstream_timeout\"", "\"timeout\":\"per_try\"",
                    "\"timeout_ms\":200", "within the per-try timeout of 200 ms");
        }
    }

    @Test
    void aPostIsNotSentAgainAfterAPerTryTimeout() {
        RecordingUpstream hung = topology.startApp((request, response) -> Mono.never());
        topology.directory().put("search", hung.port());
        TestNode node = callerNode(searchRetries(new RetryPolicy(3, null, PER_TRY, null, null, null, null), null));
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client.send(
                    "POST /orders HTTP/1.1\r\nHost: search\r\nContent-Length: 5\r\n\r\nhello").read();

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.bodyText()).contains("\"timeout\":\"per_try\"");
        }
        assertThat(hung.requestCount()).isEqualTo(1);
    }

    @Test
    void whenEveryEndpointFailsTheRetriesStayWithinTheBudget() {
        RecordingUpstream first = topology.startApp((request, response) -> response.status(503).sendString(Mono.just("busy")));
        RecordingUpstream second = topology.startApp((request, response) -> response.status(503).sendString(Mono.just("busy")));
        topology.directory().put("search", first.port(), second.port());
        // without a budget, 3 tries each: 150 attempts; with one, 10% of 50 requests plus 1 a second over 10 s
        RetryBudgetPolicy budget = new RetryBudgetPolicy(0.1, 1, Duration.ofSeconds(10));
        TestNode node = callerNode(searchRetries(RetryPolicy.of(3, Set.of(RetryOn.GATEWAY_ERROR)), budget));
        int requests = 50;
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < requests; i++) {
                assertThat(client.send("GET /q/" + i + " HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(503);
            }
        }
        int retries = first.requestCount() + second.requestCount() - requests;
        assertThat(retries).as("within 0.1 × 50 + 1/s × 10 s").isBetween(10, 15);
        assertThat(count(node, "mesh.proxy.retries", "reason", "gateway_error")).isEqualTo(retries);
        assertThat(count(node, "mesh.proxy.retry.budget.exhausted", "service", "search")).isPositive();
    }
}
