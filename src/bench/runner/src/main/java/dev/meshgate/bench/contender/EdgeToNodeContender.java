package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.bench.RawHttp;
import dev.meshgate.launcher.Role;

import java.time.Duration;
import java.util.List;

/**
 * The full north-south path: client → our gateway ({@code /bench/** → lb://<service>}, resolved
 * through the registry) → the service's mesh-node inbound listener → the app. The gateway joins the
 * mesh as a client, so no outbound node sits between it and the service's node.
 */
public final class EdgeToNodeContender implements Contender {

    private final List<String> jvmOptions;

    public EdgeToNodeContender(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String id() {
        return "gateway-to-node";
    }

    @Override
    public String title() {
        return "full path: gateway → mesh-node inbound → app";
    }

    @Override
    public boolean jvm() {
        return true;
    }

    @Override
    public Deployment deploy(BenchContext context) {
        String service = id() + "-upstream";
        MeshNodes.Node node = MeshNodes.start(context, id() + "-node", service, context.upstreamPort(), jvmOptions);
        int port = context.freePorts(1).get(0);
        BenchProcess gateway = GatewayContender.start(context, id() + "-gateway", port,
                RouteFiles.write(context, id(), GatewayRoutes.single("/bench", "lb://" + service)), jvmOptions);
        Duration nodeReady = node.awaitReady(context);
        // the gateway's own readiness includes learning the service from the registry (fetched every 2 s)
        Duration gatewayReady = gateway.awaitReady("a request through the gateway and the node",
                () -> RawHttp.get(port, "127.0.0.1", "/bench/bytes?size=1", 2000), context.startTimeout());
        return new Deployment(port, "127.0.0.1", "/bench", List.of(
                new MeasuredProcess("gateway", gateway, false, gatewayReady),
                new MeasuredProcess("mesh-node (inbound)", node.process(), true, nodeReady)),
                gatewayReady, List.of(context.jvmOptionsNote("gateway", Role.GATEWAY, jvmOptions),
                context.jvmOptionsNote("mesh-node", Role.MESH_NODE, jvmOptions)));
    }
}
