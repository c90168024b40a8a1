package dev.meshgate.node.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kept-alive connection the upstream closes as it is reused: the upstream may have read the
 * request, so only a replayable one is sent again on a new connection.
 */
class ResendTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    /** Answers the first request on its first connection, then reads the second and closes unanswered. */
    private ScriptedUpstream closesAsReused() {
        return topology.startScripted((connection, number) -> {
            if (number == 1) {
                connection.readRequest();
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
                connection.readRequest();
                connection.close();
                return;
            }
            while (connection.readRequest() != null) {
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain");
            }
        });
    }

    private static long heads(ScriptedUpstream upstream, String method) {
        return upstream.requestHeads().stream().filter(head -> head.startsWith(method + " ")).count();
    }

    @Test
    void aPostIsNotSentAgainAndTheClientGets502() {
        ScriptedUpstream app = closesAsReused();
        TestNode node = topology.startNode(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read().bodyText()).isEqualTo("first");

            RawHttpClient.Response response = client
                    .send("POST /orders HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("\"error\":\"upstream_reset\"", "a POST is not sent again");
        }
        assertThat(heads(app, "POST")).isEqualTo(1);
    }

    @Test
    void aDeleteIsNotSentAgainEither() {
        ScriptedUpstream app = closesAsReused();
        TestNode node = topology.startNode(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(client.send("DELETE /orders/1 HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(502);
        }
        assertThat(heads(app, "DELETE")).isEqualTo(1);
    }

    @Test
    void aGetIsSentAgainOnAFreshConnection() {
        ScriptedUpstream app = closesAsReused();
        TestNode node = topology.startNode(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read();

            RawHttpClient.Response response = client.send("GET /two HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("again");
        }
        assertThat(heads(app, "GET")).isEqualTo(3);
        assertThat(app.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void aPostWithAnIdempotencyKeyIsSentAgain() {
        ScriptedUpstream app = closesAsReused();
        TestNode node = topology.startNode(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read();

            RawHttpClient.Response response = client.send(
                    "POST /orders HTTP/1.1\r\nHost: test\r\nIdempotency-Key: 7f3a\r\nContent-Length: 0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(heads(app, "POST")).isEqualTo(2);
    }
}
