package dev.meshgate.node.app;

import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy answers for failures it can still describe and cuts the client off when it cannot. */
class ErrorHandlingTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    @Test
    void refusedOutboundConnectionIs502NamingServiceAndEndpoint() {
        int deadPort = FreePorts.closed();
        topology.directory().put("search", deadPort);
        TestNode node = topology.startNode(FreePorts.closed());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.bodyText()).contains(
                    "\"error\":\"upstream_connect_refused\"",
                    "\"service\":\"search\"",
                    "\"upstream\":\"127.0.0.1:" + deadPort + "\"");
        }
    }

    @Test
    void connectOnTheInboundListenerIs501AndNeverReachesTheApp() {
        RecordingUpstream app = topology.startApp();
        TestNode node = topology.startNode(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client
                    .send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(501);
            assertThat(response.bodyText()).contains("\"error\":\"method_not_supported\"", "inbound listener");
        }
        assertThat(app.requestCount()).isZero();
    }

    @Test
    void refusedAppConnectionIs502NamingTheApp() {
        int deadPort = FreePorts.closed();
        TestNode node = topology.startNode(deadPort);
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: app\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("the local app at 127.0.0.1:" + deadPort, "refused");
        }
    }

    @Test
    void upstreamResetBeforeTheResponseHeadIs502() {
        ScriptedUpstream scripted = topology.startScripted((connection, number) -> {
            connection.readRequest();
            connection.reset();
        });
        TestNode node = topology.startNode(scripted.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: app\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("\"error\":\"upstream_reset\"", "\"upstream\":\"127.0.0.1:" + scripted.port());
        }
    }

    @Test
    void upstreamDyingMidResponseClosesTheClientConnection() {
        ScriptedUpstream scripted = topology.startScripted((connection, number) -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
            connection.close();
        });
        TestNode node = topology.startNode(scripted.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response head = client.send("GET / HTTP/1.1\r\nHost: app\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(200);

            byte[] rest = client.readToEnd();

            assertThat(rest).hasSizeLessThan(1000);
        }
    }

    @Test
    void malformedUpstreamResponseIs502() {
        ScriptedUpstream scripted = topology.startScripted((connection, number) -> {
            connection.readRequest();
            connection.write("SMTP READY\r\n\r\n");
            connection.close();
        });
        TestNode node = topology.startNode(scripted.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: app\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("\"error\":\"upstream_bad_response\"");
        }
    }

    @Test
    void malformedRequestLineIs400ThenClose() {
        TestNode node = topology.startNode(FreePorts.closed());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client.send("this is not http\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains("\"error\":\"bad_request\"");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void oversizedHeaderBlockIs431ThenClose() {
        TestNode node = topology.startNode(FreePorts.closed());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client
                    .send("GET / HTTP/1.1\r\nHost: app\r\nX-Big: " + "x".repeat(10_000) + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(431);
            assertThat(response.bodyText()).contains("\"error\":\"headers_too_large\"", "\"limit_bytes\":8192");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void overlongRequestLineIs414ThenClose() {
        TestNode node = topology.startNode(FreePorts.closed());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client
                    .send("GET /" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(414);
            assertThat(response.bodyText()).contains("\"error\":\"uri_too_long\"");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void errorAnswerToHeadHasNoBody() {
        TestNode node = topology.startNode(FreePorts.closed());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response head = client.send("HEAD / HTTP/1.1\r\nHost: nowhere\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(503);

            RawHttpClient.Response next = client.send("GET / HTTP/1.1\r\nHost: nowhere\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(503);
            assertThat(next.bodyText()).startsWith("{\"error\":\"no_endpoints\"");
        }
    }
}
