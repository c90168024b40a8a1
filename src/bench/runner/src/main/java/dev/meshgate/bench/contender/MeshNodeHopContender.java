package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.RawHttp;
import dev.meshgate.launcher.Role;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One mesh hop as an application makes it: client → node A's outbound listener ({@code Host:
 * <service>}) → node B's inbound listener → the upstream app. Node B registers as the service; node A
 * finds it through the registry. Both nodes' CPU is reported, and the per-node average, since every
 * hop crosses a pair.
 *
 * <p>With {@code extraClusters > 0}, that many further services are registered first (each with one
 * endpoint, node B's inbound listener), and the load addresses the last of them: node A then fetches
 * and indexes a registry of that size.
 */
public final class MeshNodeHopContender implements Contender {

    private final int extraClusters;
    private final List<String> jvmOptions;
    private final ClusterRegistrar registrar;

    public MeshNodeHopContender(int extraClusters, List<String> jvmOptions, ClusterRegistrar registrar) {
        this.extraClusters = extraClusters;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.registrar = registrar;
    }

    @Override
    public String id() {
        return extraClusters == 0 ? "mesh-node-hop" : "mesh-node-hop-" + extraClusters + "-clusters";
    }

    @Override
    public String title() {
        return extraClusters == 0 ? "mesh-node hop (outbound → inbound → app)"
                : "mesh-node hop with " + extraClusters + " registered clusters, last one addressed";
    }

    @Override
    public boolean jvm() {
        return true;
    }

    @Override
    public boolean fullMatrix() {
        return extraClusters == 0;
    }

    @Override
    public Deployment deploy(BenchContext context) {
        String service = id() + "-upstream";
        List<Integer> ports = context.freePorts(6);
        List<String> notes = new ArrayList<>();
        notes.add(context.jvmOptionsNote("mesh-node", Role.MESH_NODE, jvmOptions));
        String host = service;
        if (extraClusters > 0) {
            Duration took = registrar.register(context.registryUrl(), "bench-c", extraClusters, ports.get(2));
            host = ClusterRegistrar.name("bench-c", extraClusters - 1);
            notes.add(extraClusters + " clusters registered in " + took.toMillis() + " ms, each pointing at node B's inbound listener");
        }
        // B first: it is the one A's lookup must find
        MeshNodes.Node nodeB = MeshNodes.start(context, id() + "-b", service, context.upstreamPort(), jvmOptions,
                ports.get(0), ports.get(1), ports.get(2));
        MeshNodes.Node nodeA = MeshNodes.start(context, id() + "-a", id() + "-client", context.closedPort(), jvmOptions,
                ports.get(3), ports.get(4), ports.get(5));
        Duration readyB = nodeB.awaitReady(context);
        Duration readyA = nodeA.awaitReady(context);
        String routedHost = host;
        Duration endToEnd = nodeB.process().awaitReady("a request through node A and node B",
                () -> RawHttp.get(nodeA.outboundPort(), routedHost, "/bytes?size=1", 2000), context.startTimeout());
        return new Deployment(nodeA.outboundPort(), host, "", List.of(
                new MeasuredProcess("node A (outbound)", nodeA.process(), true, readyA),
                new MeasuredProcess("node B (inbound)", nodeB.process(), true, readyB)),
                endToEnd, notes);
    }
}
