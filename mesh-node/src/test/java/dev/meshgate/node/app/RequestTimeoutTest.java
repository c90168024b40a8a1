package dev.meshgate.node.app;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.core.policy.ServicePolicy;
import dev.meshgate.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route's request timeout frees a hung upstream: the client gets 504 naming the timeout and the
 * upstream, and the upstream connection (or stream) is given up. Streams have none.
 */
class RequestTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    final ProxyTopology topology = new ProxyTopology();

    /** Reads one request and never answers; counts down once the proxy has closed the connection. */
    private ScriptedUpstream hungUpstream(CountDownLatch closedByProxy) {
        return topology.startScripted((connection, number) -> {
            connection.readRequest();
            if (connection.readRequest() == null) {
                closedByProxy.countDown();
            }
        });
    }

    @Test
    void aHungAppIsAnswered504AndItsConnectionClosed() throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        ScriptedUpstream app = hungUpstream(closed);
        TestNode node = topology.startNode(TestNode.properties(app.port(), 0, 0, TestNode.defaultProxy()),
                MeshPolicy.of(TIMEOUT, Map.of()));
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.bodyText()).contains("\"error\":\"upstream_timeout\"", "300 ms",
                    "\"upstream\":\"127.0.0.1:" + app.port() + "\"", "\"timeout_ms\":300");
            assertThat(closed.await(10, TimeUnit.SECONDS)).as("upstream connection closed by the proxy").isTrue();
            // the client connection stays usable
            client.send("GET /again HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(504);
        }
        assertThat(node.registry.find("mesh.proxy.errors").tag("reason", "upstream_timeout").counter().count())
                .isEqualTo(2);
    }

    @Test
    void aServiceTimeoutAppliesToOutboundCallsAndNamesTheService() {
        CountDownLatch closed = new CountDownLatch(1);
        ScriptedUpstream search = hungUpstream(closed);
        topology.directory().put("search", search.port());
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search", ServicePolicy.of(TIMEOUT, null, List.of())));
        TestNode node = topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
        try (RawHttpClient client = RawHttpClient.connect(node.outboundPort())) {
            RawHttpClient.Response response = client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.bodyText()).contains("upstream 127.0.0.1:" + search.port() + " of service 'search'", "\"service\":\"search\"");
        }
    }

    @Test
    void aHungPeerNodeFreesItsStreamWhenTheCallerTimesOut() {
        CountDownLatch closed = new CountDownLatch(1);
        ScriptedUpstream app = hungUpstream(closed);
        // the callee's own timeout is the default 15 s: the caller's 300 ms decides
        TestNode callee = topology.startNode(app.port());
        topology.directory().putNodes("search", callee.inboundPort());
        MeshPolicy policy = MeshPolicy.of(null, Map.of("search", ServicePolicy.of(TIMEOUT, null, List.of())));
        TestNode caller = topology.startNode(TestNode.properties(FreePorts.closed(), 0, 0, TestNode.defaultProxy()), policy);
        try (RawHttpClient client = RawHttpClient.connect(caller.outboundPort())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: search\r\n\r\n").read().status()).isEqualTo(504);
        }
        // the cancelled stream reaches the callee, which gives up on the app in turn
        assertThat(awaitQuietly(closed)).as("the callee closed its app connection").isTrue();
    }

    @Test
    void aStreamRouteHasNoOverallTimeout() {
        ScriptedUpstream app = topology.startScripted((connection, number) -> {
            connection.readRequest();
            try {
                // answers only well after the service's timeout
                Thread.sleep(TIMEOUT.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            connection.readRequest();
        });
        RoutePolicy events = RoutePolicy.of("events", "/events", List.of(), null, true, null);
        MeshPolicy policy = MeshPolicy.of(null, Map.of("test", ServicePolicy.of(TIMEOUT, null, List.of(events))));
        TestNode node = topology.startNode(TestNode.properties(app.port(), 0, 0, TestNode.defaultProxy()), policy);
        try (RawHttpClient client = RawHttpClient.connect(node.inboundPort())) {
            RawHttpClient.Response response = client.send("GET /events HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
