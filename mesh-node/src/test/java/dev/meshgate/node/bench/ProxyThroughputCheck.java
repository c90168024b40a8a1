package dev.meshgate.node.bench;

import dev.meshgate.core.policy.MeshPolicy;
import dev.meshgate.core.policy.PolicyStore;
import dev.meshgate.node.MeshNodeProperties;
import dev.meshgate.node.app.ProxyServer;
import dev.meshgate.node.app.StaticServiceDirectory;
import dev.meshgate.node.app.TestNode;
import dev.meshgate.node.telemetry.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;

/**
 * Not a test: runs the data plane alone (no Spring, no registry) for a load generator. Service
 * {@code bench} is this node's own inbound listener, so a request to the outbound port with
 * {@code Host: bench} crosses one outbound and one inbound hop before reaching the app.
 *
 * <pre>java -Xmx128m -cp ... dev.meshgate.node.bench.ProxyThroughputCheck &lt;app-port&gt; [event-loops]</pre>
 *
 * Prints the bound ports, then runs until stdin closes.
 */
public final class ProxyThroughputCheck {

    private ProxyThroughputCheck() {
    }

    public static void main(String[] args) throws Exception {
        int appPort = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        MeshNodeProperties properties = TestNode.properties(appPort, 0, 0,
                new MeshNodeProperties.Proxy(Duration.ofSeconds(1), Duration.ofSeconds(60), 4096, 8192, loops, 64,
                        MeshNodeProperties.PeerProtocol.H2C, Duration.ofSeconds(20), 1024, 1024));
        StaticServiceDirectory directory = new StaticServiceDirectory();
        ProxyServer server = ProxyServer.forNode(properties, directory,
                new ProxyMetrics(new SimpleMeterRegistry()), new PolicyStore(MeshPolicy.defaults()), Duration.ofSeconds(5));
        server.start();
        directory.put("bench", server.inboundPort());
        System.out.println("outbound=" + server.outboundPort() + " inbound=" + server.inboundPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until stdin closes
        }
        server.stop();
    }
}
