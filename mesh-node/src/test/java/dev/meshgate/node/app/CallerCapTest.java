package dev.meshgate.node.app;

import dev.meshgate.core.policy.BulkheadPolicy;
import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbound side's cap per caller: a node fronting a service whose bulkhead sets
 * {@code max-requests-per-caller} refuses a caller past it at once, while other callers are served;
 * callers are told apart by the {@code x-mesh-caller} their node sets, which the caller's app cannot forge.
 */
class CallerCapTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private final Sinks.One<String> answer = Sinks.one();

    @Test
    void aCallerPastItsCapIsRefusedWhileAnotherIsServed() {
        RecordingUpstream app = topology.startApp((request, response) -> response.sendString(answer.asMono()));
        MeshPolicy policy = MeshPolicy.of(null, Map.of("test",
                new ServicePolicy(null, null, null, null, new BulkheadPolicy(null, null, 1), List.of())));
        TestNode node = topology.startNode(TestNode.properties(app.port(), 0, 0, TestNode.defaultProxy()), policy);
        try (RawHttpClient planner = RawHttpClient.connect(node.inboundPort());
                RawHttpClient plannerAgain = RawHttpClient.connect(node.inboundPort());
                RawHttpClient calc = RawHttpClient.connect(node.inboundPort())) {
            planner.send("GET /1 HTTP/1.1\r\nHost: test\r\nx-mesh-caller: planner/planner-1\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> app.requestCount() == 1);

            RawHttpClient.Response refused = plannerAgain.send("GET /2 HTTP/1.1\r\nHost: test\r\nx-mesh-caller: planner/planner-1\r\n\r\n")
                    .read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.bodyText()).contains("\"error\":\"overloaded\"", "\"caller\":\"planner/planner-1\"",
                    "\"limit\":\"max-requests-per-caller\"", "\"cap\":1");

            calc.send("GET /3 HTTP/1.1\r\nHost: test\r\nx-mesh-caller: calc/calc-1\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> app.requestCount() == 2);
            answer.tryEmitValue("done");
            assertThat(planner.read().status()).isEqualTo(200);
            assertThat(calc.read().status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> node.server.clusters().callerCaps().callers() == 0);
        assertThat(node.registry.find("mesh.proxy.bulkhead.rejections").tag("direction", "inbound")
                .tag("limit", "max-requests-per-caller").counter().count()).isEqualTo(1);
    }

    @Test
    void theCallersNodeNamesItOverWhatItsAppClaims() {
        RecordingUpstream search = topology.startApp("search-1");
        ProxyTopology.TwoHops hops = topology.startTwoHops(search);
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            RawHttpClient.Response response = client.send(
                    "GET /who HTTP/1.1\r\nHost: search\r\nx-mesh-caller: someone-else/forged\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(search.nextRequest().headers().get("x-mesh-caller")).isEqualTo("test/test@127.0.0.1");
    }
}
