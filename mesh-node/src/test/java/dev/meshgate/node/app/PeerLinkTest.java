package dev.meshgate.node.app;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP/2 link between nodes: node A's outbound listener reaches service {@code search} at node
 * B's inbound listener over one multiplexed connection per event loop, and node B's inbound listener
 * takes HTTP/2 with prior knowledge beside HTTP/1.1.
 */
class PeerLinkTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    /** The caller's node A, and node B in front of {@code app}, registered as a node for {@code search}. */
    private record Hop(TestNode callerNode, TestNode appNode) {
    }

    private Hop hop(RecordingUpstream app) {
        TestNode appNode = topology.startNode(app.port());
        topology.directory().putNodes("search", appNode.inboundPort());
        TestNode callerNode = topology.startNode(1);
        return new Hop(callerNode, appNode);
    }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority("search").path(path);
    }

    @Test
    void concurrentCallsShareOneConnectionPerEventLoop() throws Exception {
        RecordingUpstream app = topology.startApp();
        Hop hop = hop(app);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", hop.callerNode().outboundPort())))
                .build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://search/item/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("app GET /item/" + i);
            // one Via entry from each node on the way back
            assertThat(response.headers().allValues("via")).containsExactly("1.1 mesh-node", "1.1 mesh-node");
        }
        double links = hop.callerNode().registry.get("mesh.upstream.connections.open").tag("pool", "peers").gauge().value();
        // TestNode runs two event loops: at most one link each, however many calls were in flight
        assertThat(links).isBetween(1.0, 2.0);
        assertThat(app.requestCount()).isEqualTo(64);
    }

    @Test
    void responsesWithoutBodiesKeepTheClientConnectionInStep() {
        RecordingUpstream app = topology.startApp((request, response) -> switch (request.uri()) {
            case "/empty" -> response.status(204).send();
            case "/head" -> response.header("content-length", "5").send();
            default -> response.sendString(Mono.just("after"));
        });
        Hop hop = hop(app);
        try (RawHttpClient client = RawHttpClient.connect(hop.callerNode().outboundPort())) {
            assertThat(client.send("GET /empty HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(204);
            RawHttpClient.Response head = client.send("HEAD /head HTTP/1.1\r\nHost: search\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("5");
            RawHttpClient.Response next = client.send("GET /next HTTP/1.1\r\nHost: search\r\n\r\n").read();
            assertThat(next.bodyText()).isEqualTo("after");
        }
    }

    @Test
    void aPeerThatStopsFinishesTheCallInFlightAndLaterCallsFailWithANamedError() throws Exception {
        Sinks.One<String> answer = Sinks.one();
        RecordingUpstream app = topology.startApp((request, response) -> response.sendString(answer.asMono()));
        Hop hop = hop(app);
        try (RawHttpClient client = RawHttpClient.connect(hop.callerNode().outboundPort())) {
            client.send("GET /slow HTTP/1.1\r\nHost: search\r\n\r\n");
            app.nextRequest();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(hop.appNode().server::stop);
            await().atMost(Duration.ofSeconds(10)).until(() -> !hop.appNode().server.listening());
            answer.tryEmitValue("finished");

            RawHttpClient.Response response = client.read();
            assertThat(response.bodyText()).isEqualTo("finished");
            assertThat(response.status()).isEqualTo(200);
            stopping.get(10, TimeUnit.SECONDS);

            RawHttpClient.Response refused = client.send("GET /later HTTP/1.1\r\nHost: search\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.bodyText()).contains("\"error\":\"upstream_connect_refused\"", "service 'search'");
        }
    }

    @Test
    void anAppFailingMidResponseCutsTheClientOffRatherThanEndingTheBody() {
        ScriptedUpstream app = topology.startScripted((connection, number) -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            connection.reset();
        });
        TestNode appNode = topology.startNode(app.port());
        topology.directory().putNodes("search", appNode.inboundPort());
        TestNode callerNode = topology.startNode(1);
        try (RawHttpClient client = RawHttpClient.connect(callerNode.outboundPort())) {
            String received = new String(client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").readToEnd(),
                    StandardCharsets.ISO_8859_1);
            assertThat(received).doesNotEndWith("0\r\n\r\n");
        }
    }

    @Test
    void anEndpointRegisteredAsANodeThatSpeaksOnlyHttp1AnswersABadGateway() {
        RecordingUpstream plain = topology.startApp("plain");
        topology.directory().putNodes("legacy", plain.port());
        TestNode callerNode = topology.startNode(1);
        try (RawHttpClient client = RawHttpClient.connect(callerNode.outboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: legacy\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("\"error\":\"upstream_reset\"", "service 'legacy'");
        }
    }

    @Test
    void theInboundListenerServesManyStreamsOfOneHttp2Connection() throws Exception {
        RecordingUpstream app = topology.startApp();
        TestNode node = topology.startNode(app.port());
        try (H2TestClient client = H2TestClient.connect(node.inboundPort())) {
            List<CompletableFuture<H2TestClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(client.send(get("/stream/" + i), null));
            }
            for (int i = 0; i < replies.size(); i++) {
                H2TestClient.Reply reply = replies.get(i).get(10, TimeUnit.SECONDS);
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo("app GET /stream/" + i);
                assertThat(reply.headers().get("via")).hasToString("1.1 mesh-node");
                assertThat(reply.headers().contains("connection")).isFalse();
            }
        }
        RecordingUpstream.Recorded first = app.nextRequest();
        assertThat(first.headers().get("host")).isEqualTo("search");
        assertThat(first.headers().get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(first.headers().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(app.connections()).isLessThanOrEqualTo(20);
    }

    @Test
    void aRequestBodyCrossesTheInboundLinkAsAChunkedHttp1Body() throws Exception {
        RecordingUpstream app = topology.startApp((request, response) ->
                response.sendString(request.receive().aggregate().asString()
                        .map(body -> request.requestHeaders().get("transfer-encoding") + " " + body)));
        TestNode node = topology.startNode(app.port());
        try (H2TestClient client = H2TestClient.connect(node.inboundPort())) {
            Http2Headers post = new DefaultHttp2Headers(false).method("POST").scheme("http").authority("search").path("/upload");
            H2TestClient.Reply reply = client.send(post, "payload").get(10, TimeUnit.SECONDS);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("chunked payload");
        }
    }

    @Test
    void aMalformedRequestTargetAnswersBadRequestOnItsStreamAndTheConnectionGoesOn() throws Exception {
        RecordingUpstream app = topology.startApp();
        TestNode node = topology.startNode(app.port());
        try (H2TestClient client = H2TestClient.connect(node.inboundPort())) {
            H2TestClient.Reply bad = client.send(get("/a b"), null).get(10, TimeUnit.SECONDS);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("\"error\":\"bad_request\"", ":path");

            H2TestClient.Reply good = client.send(get("/fine"), null).get(10, TimeUnit.SECONDS);
            assertThat(good.status()).isEqualTo(200);
        }
        assertThat(app.requestCount()).isEqualTo(1);
    }

    @Test
    void aRequestTargetCarryingALineBreakNeverReachesTheApp() throws Exception {
        RecordingUpstream app = topology.startApp();
        TestNode node = topology.startNode(app.port());
        try (H2TestClient client = H2TestClient.connect(node.inboundPort())) {
            H2TestClient.Reply reply = client.send(get("/a HTTP/1.1\r\nX-Injected: yes\r\n\r\nGET /b"), null)
                    .get(10, TimeUnit.SECONDS);
            // the header decoder refuses the field: the stream is reset as malformed (RFC 9113 §8.2.1)
            assertThat(reply.resetCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
            assertThat(client.send(get("/fine"), null).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(app.requestCount()).isEqualTo(1);
    }

    @Test
    void oversizedHeadersAnswer431() throws Exception {
        RecordingUpstream app = topology.startApp();
        TestNode node = topology.startNode(app.port());
        try (H2TestClient client = H2TestClient.connect(node.inboundPort())) {
            Http2Headers headers = get("/big").add("x-big", "x".repeat(9_000));
            H2TestClient.Reply reply = client.send(headers, null).get(10, TimeUnit.SECONDS);
            assertThat(reply.status()).isEqualTo(431);
        }
        assertThat(app.requestCount()).isZero();
    }
}
