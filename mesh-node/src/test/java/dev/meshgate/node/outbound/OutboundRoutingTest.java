package dev.meshgate.node.outbound;

import dev.meshgate.node.app.ProxyTopology;
import dev.meshgate.node.app.RawHttpClient;
import dev.meshgate.node.app.RawHttpClient.Response;
import dev.meshgate.node.app.RecordingUpstream;
import dev.meshgate.node.app.StaticServiceDirectory;
import dev.meshgate.node.app.TestNode;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundRoutingTest {

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();
    private final StaticServiceDirectory directory = topology.directory();
    private RecordingUpstream search1;
    private RecordingUpstream search2;
    private TestNode node;

    @BeforeEach
    void start() {
        search1 = topology.startApp("search-1");
        search2 = topology.startApp("search-2");
        node = topology.startNode(FreePorts.closed());
    }

    @Test
    void routesAnOriginFormRequestByItsHostHeaderIgnoringThePort() {
        directory.put("search", search1.port());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("GET /q?term=mesh HTTP/1.1\r\nHost: Search:8080\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("search-1 GET /q?term=mesh");
        }
        assertThat(search1.nextRequest().headers().get("host")).isEqualTo("Search:8080");
    }

    @Test
    void actsAsAnHttpProxyForAbsoluteFormRequestsRewritingThemToOriginForm() throws Exception {
        directory.put("search", search1.port());
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", node.outboundPort())))
                .build();

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://search/items/7?full=true")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("search-1 GET /items/7?full=true");
        RecordingUpstream.Recorded seen = search1.nextRequest();
        assertThat(seen.uri()).isEqualTo("/items/7?full=true");
        assertThat(seen.headers().get("host")).isEqualTo("search");
    }

    @Test
    void absoluteFormWithoutPathBecomesSlash() {
        directory.put("search", search1.port());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("GET http://search:9999 HTTP/1.1\r\nHost: search:9999\r\n\r\n").read();

            assertThat(response.bodyText()).isEqualTo("search-1 GET /");
        }
    }

    @Test
    void spreadsRequestsRoundRobinOverTheClustersEndpoints() {
        directory.put("search", search1.port(), search2.port());
        List<String> answeredBy = new ArrayList<>();
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            for (int i = 0; i < 4; i++) {
                answeredBy.add(client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read().bodyText().split(" ")[0]);
            }
        }
        assertThat(answeredBy).containsExactly("search-1", "search-2", "search-1", "search-2");
    }

    @Test
    void asksTheRegistryAboutAServiceTheSnapshotHasNeverSeen() {
        directory.registryKnows("calc", search2.port());
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("POST /sum HTTP/1.1\r\nHost: calc\r\nContent-Length: 3\r\n\r\n1+2").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("search-2 POST /sum");
        }
        assertThat(directory.lookups()).isEqualTo(1);
    }

    @Test
    void unknownServiceIs503NamingIt() {
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("GET / HTTP/1.1\r\nHost: nowhere\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.bodyText())
                    .contains("\"error\":\"no_endpoints\"")
                    .contains("\"service\":\"nowhere\"")
                    .contains("\"message\":");
            // the connection stays usable
            directory.put("search", search1.port());
            assertThat(client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void serviceWithNoEndpointsInTheSnapshotIs503() {
        directory.put("search");
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.bodyText()).contains("\"error\":\"no_endpoints\"", "\"service\":\"search\"");
        }
    }

    @Test
    void unreachableRegistryWithoutSnapshotIs503SayingSo() {
        directory.registryDown();
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("GET / HTTP/1.1\r\nHost: payments\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.bodyText())
                    .contains("\"error\":\"registry_unavailable\"", "\"service\":\"payments\"", "cannot be reached");
        }
    }

    @Test
    void http10RequestWithoutHostIs400NamingTheProblem() {
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("GET /x HTTP/1.0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains("\"error\":\"missing_host\"", "Host");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void connectIsAnsweredWith501() {
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            Response response = client.send("CONNECT search:443 HTTP/1.1\r\nHost: search:443\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(501);
            assertThat(response.bodyText()).contains("\"error\":\"method_not_supported\"", "CONNECT");
        }
    }
}
