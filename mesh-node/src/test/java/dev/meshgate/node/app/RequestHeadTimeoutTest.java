package dev.meshgate.node.app;

import dev.meshgate.node.MeshNodeProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that sends its request head too slowly is answered 408 and closed, on both listeners. */
class RequestHeadTimeoutTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    private TestNode node(int appPort) {
        MeshNodeProperties.Proxy proxy = TestNode.proxy(Duration.ofMillis(300), 1024, 1024);
        return topology.startNode(TestNode.properties(appPort, 0, 0, proxy));
    }

    private static void assertAnswered408AndClosed(RawHttpClient client) {
        RawHttpClient.Response response = client.read();
        assertThat(response.status()).isEqualTo(408);
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(response.bodyText()).contains("\"error\":\"request_head_timeout\"", "\"timeout_ms\":300");
        assertThat(client.closedByPeer()).isTrue();
    }

    @Test
    void anIncompleteHeadOnTheInboundListenerIsAnswered408() {
        RecordingUpstream app = topology.startApp();
        TestNode node = node(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            client.send("GET / HTTP/1.1\r\nHost: te");
            assertAnswered408AndClosed(client);
        }
        assertThat(app.requestCount()).isZero();
        assertThat(node.registry.find("mesh.proxy.errors").tags("direction", "inbound", "reason", "request_head_timeout")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void anIncompleteHeadOnTheOutboundListenerIsAnswered408() {
        TestNode node = node(topology.startApp().port());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            client.send("GET / HTTP/1.1\r\n");
            assertAnswered408AndClosed(client);
        }
    }

    @Test
    void theSecondHeadOfAKeepAliveConnectionIsTimedFromItsOwnFirstByte() {
        RecordingUpstream app = topology.startApp();
        TestNode node = node(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            assertThat(client.send("GET /one HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            client.send("GET /two HTTP/1.1\r\n");
            assertAnswered408AndClosed(client);
        }
        assertThat(app.requestCount()).isEqualTo(1);
    }
}
