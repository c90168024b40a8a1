package dev.meshgate.node.app;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nothing queues without bound: beyond a limit an exchange is answered 503 at once, naming it. */
class ConnectionLimitsTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private static MeshNodeProperties.Proxy oneLoop(int maxAppConnections, int maxPendingStreams) {
        return new MeshNodeProperties.Proxy(Duration.ofSeconds(2), Duration.ofSeconds(60), 4096, 8192, 1, 64,
                MeshNodeProperties.PeerProtocol.H2C, Duration.ofSeconds(20), maxAppConnections, maxPendingStreams);
    }

    private static double inFlight(TestNode node, String direction) {
        return node.registry.find("mesh.requests.in.flight").tag("direction", direction).gauge().value();
    }

    @Test
    void connectionsToTheAppAreCappedWithAnImmediate503() {
        ScriptedUpstream app = topology.startScripted((connection, number) -> {
            connection.readRequest();
            connection.readRequest();
        });
        TestNode node = topology.startNode(TestNode.properties(app.port(), 0, 0, oneLoop(1, 1024)),
                MeshPolicy.of(Duration.ofSeconds(5), Map.of()));
        try (RawHttpClient first = RawHttpClient.connect(node.inboundPort());
             RawHttpClient second = RawHttpClient.connect(node.inboundPort())) {
            first.send("GET /hangs HTTP/1.1\r\nHost: test\r\n\r\n");
            await().until(() -> app.requestHeads().size() == 1);

            RawHttpClient.Response response = second.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.bodyText()).contains("\"error\":\"overloaded\"",
                    "the limit of 1 open connections is reached", "\"limit\":1");
        }
        assertThat(app.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void exchangesWaitingForAStreamOfALinkAreBoundedAndLeaveTheQueueWhenTheyTimeOut() {
        StallingH2Peer peer = new StallingH2Peer();
        try (peer) {
            topology.directory().putNodes("search", peer.port());
            MeshPolicy policy = MeshPolicy.of(null, Map.of("search", ServicePolicy.of(Duration.ofMillis(500), null, List.of())));
            TestNode node = topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, oneLoop(1024, 1)), policy);
            try (RawHttpClient holding = RawHttpClient.connect(node.outboundPort());
                 RawHttpClient waiting = RawHttpClient.connect(node.outboundPort());
                 RawHttpClient refused = RawHttpClient.connect(node.outboundPort())) {
                holding.send("GET /a HTTP/1.1\r\nHost: search\r\n\r\n");
                await().until(() -> peer.streams() == 1);
                waiting.send("GET /b HTTP/1.1\r\nHost: search\r\n\r\n");
                await().until(() -> inFlight(node, "outbound") == 2);

                RawHttpClient.Response response = refused.send("GET /c HTTP/1.1\r\nHost: search\r\n\r\n").read();

                assertThat(response.status()).isEqualTo(503);
                assertThat(response.bodyText()).contains("\"error\":\"overloaded\"", "\"limit\":1",
                        "exchanges waiting for a stream of the HTTP/2 link to 127.0.0.1:" + peer.port());
                assertThat(holding.read().status()).isEqualTo(504);
                assertThat(waiting.read().status()).isEqualTo(504);

                // the timed-out waiter left the queue: the next one waits (and times out) rather than being refused
                assertThat(refused.send("GET /d HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(504);
            }
        }
    }
}
