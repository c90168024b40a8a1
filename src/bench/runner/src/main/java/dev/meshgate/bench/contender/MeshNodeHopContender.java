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
 *
 * <p>{@link #withPolicies} is the same hop with node A calling under the fault-tolerance policies an
 * operator would turn on: what those stages cost per request.
 */
public final class MeshNodeHopContender implements Contender {

    /**
     * Node A's mesh-wide policy for the policies contender: request and per-try timeouts, retries on
     * every condition with backoff and a budget, a circuit breaker and a bulkhead (outlier detection
     * is on by default).
     */
    static final List<String> POLICIES_ON = List.of(
            "--mesh.policy.request-timeout=10s",
            "--mesh.policy.retries.attempts=3",
            "--mesh.policy.retries.retry-on=connect-failure,refused-stream,reset,per-try-timeout,gateway-error",
            "--mesh.policy.retries.per-try-timeout=2s",
            "--mesh.policy.retries.backoff.base=25ms",
            "--mesh.policy.retry-budget.ratio=0.2",
            "--mesh.policy.circuit-breaker.failure-rate-threshold=50",
            "--mesh.policy.circuit-breaker.sliding-window=100",
            "--mesh.policy.bulkhead.max-requests=10000",
            "--mesh.policy.bulkhead.max-requests-per-endpoint=10000");

    private final int extraClusters;
    private final List<String> jvmOptions;
    private final ClusterRegistrar registrar;
    private final List<String> callerPolicy;

    public MeshNodeHopContender(int extraClusters, List<String> jvmOptions, ClusterRegistrar registrar) {
        this(extraClusters, jvmOptions, registrar, List.of());
    }

    private MeshNodeHopContender(int extraClusters, List<String> jvmOptions, ClusterRegistrar registrar,
            List<String> callerPolicy) {
        this.extraClusters = extraClusters;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.registrar = registrar;
        this.callerPolicy = List.copyOf(callerPolicy);
    }

    /** The bare hop with {@link #POLICIES_ON} at node A. */
    public static MeshNodeHopContender withPolicies(List<String> jvmOptions) {
        return new MeshNodeHopContender(0, jvmOptions, new ClusterRegistrar(), POLICIES_ON);
    }

    @Override
    public String id() {
        if (!callerPolicy.isEmpty()) {
            return "mesh-node-hop-policies";
        }
        return extraClusters == 0 ? "mesh-node-hop" : "mesh-node-hop-" + extraClusters + "-clusters";
    }

    @Override
    public String title() {
        if (!callerPolicy.isEmpty()) {
            return "mesh-node hop with policies on (timeouts, retries with a budget, breaker, bulkhead, outlier detection)";
        }
        return extraClusters == 0 ? "mesh-node hop (outbound → inbound → app)"
                : "mesh-node hop with " + extraClusters + " registered clusters, last one addressed";
    }

    @Override
    public boolean jvm() {
        return true;
    }

    @Override
    public boolean fullMatrix() {
        return extraClusters == 0 && callerPolicy.isEmpty();
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
        // node A is the client's sidecar with no app of its own: nothing to probe
        List<String> nodeAArguments = new ArrayList<>(callerPolicy);
        nodeAArguments.add("--mesh.app.health.enabled=false");
        MeshNodes.Node nodeA = MeshNodes.start(context, id() + "-a", id() + "-client", context.closedPort(), jvmOptions,
                ports.get(3), ports.get(4), ports.get(5), nodeAArguments);
        if (!callerPolicy.isEmpty()) {
            notes.add("node A's policy: " + String.join(" ", callerPolicy));
        }
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
