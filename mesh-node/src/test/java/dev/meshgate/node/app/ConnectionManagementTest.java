package dev.meshgate.node.app;

import dev.meshgate.node.app.ProxyTopology.TwoHops;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Keep-alive, HTTP/1.0, HEAD, pipelining and stale pooled connections. */
class ConnectionManagementTest {

    private static final String GET_SEARCH = "GET / HTTP/1.1\r\nHost: search\r\n\r\n";

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    @Test
    void keptAliveClientConnectionReusesOneUpstreamConnectionPerHop() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.send("GET /" + i + " HTTP/1.1\r\nHost: search\r\n\r\n").read().bodyText())
                        .isEqualTo("app GET /" + i);
            }
        }
        assertThat(hops.app().connections()).isEqualTo(1);
    }

    @Test
    void sequentialClientConnectionsShareThePooledUpstreamConnections() {
        TwoHops hops = topology.startTwoHops();
        for (int i = 0; i < 10; i++) {
            try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
                assertThat(client.send(GET_SEARCH).read().status()).isEqualTo(200);
            }
        }
        // at most one pooled connection per event loop (the test node runs two)
        assertThat(hops.app().connections()).isBetween(1, 2);
    }

    @Test
    void http10RequestIsAnsweredThenTheConnectionCloses() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            RawHttpClient.Response response = client.send("GET /old HTTP/1.0\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.chunked()).isFalse();
            assertThat(response.bodyText()).isEqualTo("app GET /old");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void http10KeepAliveIsHonoured() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            String request = "GET /a HTTP/1.0\r\nHost: search\r\nConnection: keep-alive\r\n\r\n";
            RawHttpClient.Response first = client.send(request).read();
            assertThat(first.header("connection")).isEqualToIgnoringCase("keep-alive");

            assertThat(client.send(request).read().bodyText()).isEqualTo("app GET /a");
        }
    }

    @Test
    void connectionCloseFromTheClientClosesAfterTheResponse() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: search\r\nConnection: close\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(client.closedByPeer()).isTrue();
        }
        // the client's Connection: close is hop-by-hop: the upstream connection stays pooled
        assertThat(hops.app().connections()).isEqualTo(1);
    }

    @Test
    void headResponseCarriesNoBodyAndTheConnectionStaysInSync() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            RawHttpClient.Response head = client.send("HEAD /h HTTP/1.1\r\nHost: search\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);

            // a stray body after the HEAD response would be read as this response's status line
            RawHttpClient.Response next = client.send("GET /after HTTP/1.1\r\nHost: search\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("app GET /after");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            client.send("GET /one HTTP/1.1\r\nHost: search\r\n\r\n"
                    + "HEAD /two HTTP/1.1\r\nHost: search\r\n\r\n"
                    + "POST /three HTTP/1.1\r\nHost: search\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /four HTTP/1.1\r\nHost: search\r\n\r\n");

            assertThat(client.read().bodyText()).isEqualTo("app GET /one");
            assertThat(client.read(true).status()).isEqualTo(200);
            assertThat(client.read().bodyText()).isEqualTo("app POST /three");
            assertThat(client.read().bodyText()).isEqualTo("app GET /four");
        }
    }

    /** Answers the first request on each connection, then closes when a second one arrives. */
    private static ScriptedUpstream.Script oneRequestPerConnection() {
        return (connection, number) -> {
            if (connection.readRequest() == null) {
                return;
            }
            String body = "connection-" + number;
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            connection.readRequest();
            connection.close();
        };
    }

    @Test
    void bodilessRequestOnAStalePooledConnectionIsRetriedOnAFreshOne() {
        ScriptedUpstream scripted = topology.startScripted(oneRequestPerConnection());
        TestNode node = topology.startNode(scripted.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            assertThat(client.send("GET /first HTTP/1.1\r\nHost: app\r\n\r\n").read().bodyText()).isEqualTo("connection-1");

            RawHttpClient.Response second = client.send("GET /second HTTP/1.1\r\nHost: app\r\n\r\n").read();

            assertThat(second.status()).isEqualTo(200);
            assertThat(second.bodyText()).isEqualTo("connection-2");
        }
        assertThat(scripted.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void requestWithABodyOnAStalePooledConnectionIsNotRetried() {
        ScriptedUpstream scripted = topology.startScripted(oneRequestPerConnection());
        TestNode node = topology.startNode(scripted.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            assertThat(client.send("GET /first HTTP/1.1\r\nHost: app\r\n\r\n").read().status()).isEqualTo(200);

            RawHttpClient.Response second = client
                    .send("POST /pay HTTP/1.1\r\nHost: app\r\nContent-Length: 3\r\n\r\nabc").read();

            assertThat(second.status()).isEqualTo(502);
            assertThat(second.bodyText()).contains("\"error\":\"upstream_reset\"");
        }
        assertThat(scripted.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void upstreamClosingAnIdleConnectionIsNoticedWithoutFailingTheNextRequest() {
        ScriptedUpstream scripted = topology.startScripted((connection, number) -> {
            connection.readRequest();
            String body = "connection-" + number;
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            connection.close();
        });
        TestNode node = topology.startNode(scripted.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            for (int i = 1; i <= 3; i++) {
                assertThat(client.send("GET / HTTP/1.1\r\nHost: app\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
        assertThat(scripted.connectionsAccepted()).isEqualTo(3);
    }

    @Test
    void clientConnectionToTheInboundListenerOfADeadAppGets502AndStaysOpen() {
        TestNode node = topology.startNode(FreePorts.closed());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: app\r\n\r\n").read().status()).isEqualTo(502);
            assertThat(client.send("GET / HTTP/1.1\r\nHost: app\r\n\r\n").read().status()).isEqualTo(502);
        }
    }
}
