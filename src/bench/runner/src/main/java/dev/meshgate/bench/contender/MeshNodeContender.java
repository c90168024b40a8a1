package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.RawHttp;
import dev.meshgate.launcher.Role;

import java.time.Duration;
import java.util.List;

/**
 * One mesh-node as a reverse proxy: client → its inbound listener → the upstream app. One proxy
 * process and two TCP legs, the same shape as nginx and HAProxy here, so its figures compare with
 * theirs like for like; {@link MeshNodeHopContender} is the pair a call between two services crosses.
 */
public final class MeshNodeContender implements Contender {

    private final List<String> jvmOptions;

    public MeshNodeContender(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String id() {
        return "mesh-node";
    }

    @Override
    public String title() {
        return "one mesh-node (inbound → app), a single proxy like nginx";
    }

    @Override
    public boolean jvm() {
        return true;
    }

    @Override
    public Deployment deploy(BenchContext context) {
        MeshNodes.Node node = MeshNodes.start(context, id(), id() + "-upstream", context.upstreamPort(), jvmOptions);
        Duration ready = node.awaitReady(context);
        Duration endToEnd = node.process().awaitReady("a request through the inbound listener",
                () -> RawHttp.get(node.inboundPort(), "127.0.0.1", "/bytes?size=1", 2000), context.startTimeout());
        return new Deployment(node.inboundPort(), "127.0.0.1", "", List.of(
                new MeasuredProcess("node (inbound)", node.process(), true, ready)),
                endToEnd, List.of(context.jvmOptionsNote("mesh-node", Role.MESH_NODE, jvmOptions)));
    }
}
