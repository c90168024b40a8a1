package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.bench.RawHttp;
import dev.meshgate.launcher.Role;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts mesh-nodes as {@code ./mesh up} does, on free ports, against the benchmark's registry. */
final class MeshNodes {

    static final String JAR = "mesh-node/target/mesh-node.jar";

    private MeshNodes() {
    }

    /** A started node and its listeners. */
    record Node(BenchProcess process, int adminPort, int outboundPort, int inboundPort) {
        Duration awaitReady(BenchContext context) {
            return process.awaitReady("readiness (/actuator/health/readiness)",
                    () -> RawHttp.get(adminPort, "127.0.0.1", "/actuator/health/readiness", 2000), context.startTimeout());
        }
    }

    /** Picks three free ports and starts a node for {@code service} fronting the app on {@code appPort}. */
    static Node start(BenchContext context, String name, String service, int appPort, List<String> jvmOptions) {
        List<Integer> ports = context.freePorts(3);
        return start(context, name, service, appPort, jvmOptions, ports.get(0), ports.get(1), ports.get(2));
    }

    static Node start(BenchContext context, String name, String service, int appPort, List<String> jvmOptions,
                      int adminPort, int outboundPort, int inboundPort) {
        return start(context, name, service, appPort, jvmOptions, adminPort, outboundPort, inboundPort, List.of());
    }

    /** @param extraArguments further {@code --key=value} arguments, after the ones every node gets */
    static Node start(BenchContext context, String name, String service, int appPort, List<String> jvmOptions,
                      int adminPort, int outboundPort, int inboundPort, List<String> extraArguments) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.address=127.0.0.1",
                "--server.port=" + adminPort,
                "--mesh.node.service=" + service,
                "--mesh.node.instance-id=" + name,
                "--mesh.node.advertised-host=127.0.0.1",
                "--mesh.listeners.outbound.port=" + outboundPort,
                "--mesh.listeners.inbound.port=" + inboundPort,
                "--mesh.app.port=" + appPort,
                "--mesh.registry.url=" + context.registryUrl(),
                "--mesh.config-server.url=" + context.closedConfigServerUrl()));
        arguments.addAll(extraArguments);
        BenchProcess process = context.startJvm(name, Role.MESH_NODE, jvmOptions, context.jar(JAR), arguments);
        return new Node(process, adminPort, outboundPort, inboundPort);
    }
}
