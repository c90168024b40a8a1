package dev.meshgate.node.app;

import dev.meshgate.core.trace.TraceContext;
import dev.meshgate.node.app.ProxyTopology.TwoHops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** What reaches the app and the client after the node rewrote the headers, over real connections. */
class HeaderForwardingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    @Test
    void hopByHopHeadersStopAtTheProxyInBothDirections() {
        ScriptedUpstream scripted = topology.startScripted((connection, number) -> {
            while (connection.readRequest() != null) {
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive, X-Resp-Hop\r\n"
                        + "X-Resp-Hop: secret\r\nKeep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\n"
                        + "X-End-To-End: kept\r\n\r\nok");
            }
        });
        TestNode node = topology.startNode(scripted.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: app\r\n"
                    + "Connection: keep-alive, X-Req-Hop\r\nX-Req-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
                    + "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                    + "TE: trailers, deflate\r\nUpgrade: h2c\r\nX-Kept: yes\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-resp-hop")).isNull();
            assertThat(response.header("keep-alive")).isNull();
            assertThat(response.header("proxy-authenticate")).isNull();
            assertThat(response.header("x-end-to-end")).isEqualTo("kept");
            assertThat(response.header("via")).contains("1.1 mesh-node");
        }
        String forwarded = scripted.requestHeads().get(0).toLowerCase();
        assertThat(forwarded)
                .doesNotContain("x-req-hop", "keep-alive", "proxy-connection", "proxy-authorization", "upgrade", "deflate")
                .contains("te: trailers", "x-kept: yes");
    }

    @Test
    void eachHopAppendsItselfToTheForwardingHeadersAndStartsAChildSpan() {
        TwoHops hops = topology.startTwoHops();
        try (RawHttpClient client = RawHttpClient.connect(hops.node().outboundPort())) {
            client.send("GET / HTTP/1.1\r\nHost: search\r\n"
                    + "traceparent: 00-" + TRACE_ID + "-" + CALLER_SPAN + "-01\r\n"
                    + "tracestate: vendor=opaque\r\n\r\n").read();
        }
        var headers = hops.app().nextRequest().headers();

        assertThat(headers.get("x-forwarded-for")).isEqualTo("127.0.0.1, 127.0.0.1");
        assertThat(headers.get("x-forwarded-host")).isEqualTo("search");
        assertThat(headers.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(headers.get("forwarded"))
                .isEqualTo("for=127.0.0.1;host=search;proto=http, for=127.0.0.1;host=search;proto=http");
        assertThat(headers.getAll("via")).containsExactly("1.1 mesh-node", "1.1 mesh-node");
        assertThat(headers.get("tracestate")).isEqualTo("vendor=opaque");

        TraceContext received = TraceContext.parse(headers.get("traceparent"));
        assertThat(received).isNotNull();
        assertThat(received.traceId()).isEqualTo(TRACE_ID);
        assertThat(received.spanId()).isNotEqualTo(CALLER_SPAN);
        assertThat(received.sampled()).isTrue();
    }

    @Test
    void requestWithoutTraceContextStartsATrace() {
        RecordingUpstream app = topology.startApp();
        TestNode node = topology.startNode(app.port());
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            client.send("GET / HTTP/1.1\r\nHost: app:80\r\ntracestate: orphan=1\r\n\r\n").read();
        }
        var headers = app.nextRequest().headers();

        assertThat(TraceContext.parse(headers.get("traceparent"))).isNotNull();
        assertThat(headers.get("tracestate")).isNull();
        assertThat(headers.get("forwarded")).isEqualTo("for=127.0.0.1;host=\"app:80\";proto=http");
    }
}
