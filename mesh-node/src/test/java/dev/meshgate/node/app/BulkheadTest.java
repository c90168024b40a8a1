package dev.meshgate.node.app;

import dev.meshgate.core.policy.BulkheadPolicy;
import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RetryPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bulkhead stage through a node: past its cap on requests in flight to a service, a try is
 * refused at once with 503 {@code overloaded} naming the cap; nothing queues, and the cap frees as
 * responses end.
 */
class BulkheadTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private final Sinks.One<String> answer = Sinks.one();

    private TestNode callerNode(BulkheadPolicy bulkhead) {
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search",
                new ServicePolicy(null, RetryPolicy.of(1, null), null, null, bulkhead, List.of())));
        return topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
    }

    /** An upstream that answers every request it holds once the test lets it. */
    private RecordingUpstream heldUpstream() {
        return topology.startApp((request, response) -> response.sendString(answer.asMono()));
    }

    @Test
    void pastTheCapATryIsRefusedAtOnceNamingItAndTheCapFreesAsResponsesEnd() {
        RecordingUpstream search = heldUpstream();
        topology.directory().put("search", search.port());
        TestNode node = callerNode(new BulkheadPolicy(2, null, null));
        try (RawHttpClient first = RawHttpClient.connect(node.outboundPort());
                RawHttpClient second = RawHttpClient.connect(node.outboundPort());
                RawHttpClient third = RawHttpClient.connect(node.outboundPort())) {
            first.send("GET /1 HTTP/1.1\r\nHost: search\r\n\r\n");
            second.send("GET /2 HTTP/1.1\r\nHost: search\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> search.requestCount() == 2);

            RawHttpClient.Response refused = third.send("GET /3 HTTP/1.1\r\nHost: search\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.bodyText()).contains("\"error\":\"overloaded\"", "\"limit\":\"max-requests\"", "\"cap\":2",
                    "bulkhead's max-requests");
            assertThat(search.requestCount()).as("the refused request never reached the upstream").isEqualTo(2);

            answer.tryEmitValue("done");
            assertThat(first.read().status()).isEqualTo(200);
            assertThat(second.read().status()).isEqualTo(200);
            assertThat(third.send("GET /4 HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(200);
        }
        // the permit goes back once the last byte is written, which the client may read first
        await().atMost(Duration.ofSeconds(5)).until(() -> node.server.clusters().bulkheads().inFlight("search") == 0);
        assertThat(node.registry.find("mesh.proxy.errors").tag("reason", "overloaded").counter().count()).isEqualTo(1);
        assertThat(node.registry.find("mesh.proxy.bulkhead.rejections").tag("service", "search").tag("limit", "max-requests")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void theCapPerEndpointRefusesTheThirdRequestToOneEndpoint() {
        RecordingUpstream search = heldUpstream();
        topology.directory().put("search", search.port());
        TestNode node = callerNode(new BulkheadPolicy(null, 1, null));
        try (RawHttpClient first = RawHttpClient.connect(node.outboundPort());
                RawHttpClient second = RawHttpClient.connect(node.outboundPort())) {
            first.send("GET /1 HTTP/1.1\r\nHost: search\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> search.requestCount() == 1);

            RawHttpClient.Response refused = second.send("GET /2 HTTP/1.1\r\nHost: search\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.bodyText()).contains("\"limit\":\"max-requests-per-endpoint\"", "\"cap\":1");
            answer.tryEmitValue("done");
            assertThat(first.read().status()).isEqualTo(200);
        }
    }
}
