package dev.meshgate.node.app;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.PolicyStore;
import dev.meshgate.core.balance.RoundRobinBalancer;
import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.discovery.ServiceDirectory;
import dev.meshgate.node.telemetry.ProxyMetrics;
import dev.meshgate.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;

/** A node's data plane on free loopback ports, for tests. Always {@link #close()} it. */
public final class TestNode implements AutoCloseable {

    public final ProxyServer server;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The circuit breakers' time: it moves only when the test advances it. */
    public final ManualClock breakerClock = new ManualClock();

    public final PolicyStore policies;

    private TestNode(MeshNodeProperties properties, ServiceDirectory directory, MeshPolicy policy, Duration drainTimeout) {
        this.policies = new PolicyStore(policy);
        // first endpoint first: tests name which endpoint answers which request
        this.server = ProxyServer.forNode(properties, directory, RoundRobinBalancer.startingAtFirst(),
                new ProxyMetrics(registry, breakerClock), policies, drainTimeout);
    }

    public static TestNode start(int appPort, ServiceDirectory directory) {
        return start(properties(appPort, 0, 0, defaultProxy()), directory);
    }

    public static TestNode start(MeshNodeProperties properties, ServiceDirectory directory) {
        return start(properties, directory, MeshPolicy.defaults());
    }

    public static TestNode start(MeshNodeProperties properties, ServiceDirectory directory, MeshPolicy policy) {
        TestNode node = new TestNode(properties, directory, policy, Duration.ofSeconds(10));
        node.server.start();
        return node;
    }

    public static MeshNodeProperties.Proxy defaultProxy() {
        return proxy(Duration.ofSeconds(20), 1024, 1024);
    }

    /** The test defaults with the given head timeout, app connection cap and link queue bound. */
    public static MeshNodeProperties.Proxy proxy(Duration requestHeadTimeout, int maxAppConnections, int maxPendingStreams) {
        return new MeshNodeProperties.Proxy(Duration.ofSeconds(2), Duration.ofSeconds(60), 4096, 8192, 2, 64,
                MeshNodeProperties.PeerProtocol.H2C, requestHeadTimeout, maxAppConnections, maxPendingStreams);
    }

    public static MeshNodeProperties properties(int appPort, int outboundPort, int inboundPort, MeshNodeProperties.Proxy proxy) {
        return new MeshNodeProperties(
                new MeshNodeProperties.Node("test", null, "v1", "local", "127.0.0.1"),
                new MeshNodeProperties.Listeners(
                        new MeshNodeProperties.Listener("127.0.0.1", outboundPort),
                        new MeshNodeProperties.Listener("127.0.0.1", inboundPort)),
                new MeshNodeProperties.App("127.0.0.1", appPort, MeshNodeProperties.AppHealth.DEFAULT),
                new MeshNodeProperties.Registry("http://127.0.0.1:1/eureka", false, Duration.ofSeconds(5),
                        Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2)),
                proxy);
    }

    public int outboundPort() {
        return server.outboundPort();
    }

    public int inboundPort() {
        return server.inboundPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
