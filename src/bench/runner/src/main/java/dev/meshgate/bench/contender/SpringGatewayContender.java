package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.bench.RawHttp;
import dev.meshgate.launcher.Role;

import java.time.Duration;
import java.util.List;

/**
 * A Spring Cloud Gateway as a contender, ours or the stock one: one JVM with one route, or a generated
 * table of {@code routeCount} routes whose last route the load addresses. A large table is measured at
 * the primary size and target rate only, beside its one-route counterpart (whose id it extends).
 */
abstract class SpringGatewayContender implements Contender {

    /** A started gateway and the path prefix of the route the load goes through. */
    record Started(BenchProcess process, String pathPrefix) {
    }

    private final String oneRouteId;
    private final String processLabel;
    final int routeCount;
    final List<String> jvmOptions;

    SpringGatewayContender(String oneRouteId, String processLabel, int routeCount, List<String> jvmOptions) {
        this.oneRouteId = oneRouteId;
        this.processLabel = processLabel;
        this.routeCount = routeCount;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public final String id() {
        return routeCount == 1 ? oneRouteId : oneRouteId + "-" + routeCount + "-routes";
    }

    @Override
    public final boolean jvm() {
        return true;
    }

    @Override
    public final boolean fullMatrix() {
        return routeCount == 1;
    }

    @Override
    public final Deployment deploy(BenchContext context) {
        int port = context.freePorts(1).get(0);
        Started gateway = start(context, port);
        String probePath = gateway.pathPrefix() + "/bytes?size=1";
        Duration ready = gateway.process().awaitReady("a request through the route",
                () -> RawHttp.get(port, "127.0.0.1", probePath, 2000), context.startTimeout());
        return new Deployment(port, "127.0.0.1", gateway.pathPrefix(),
                List.of(new MeasuredProcess(processLabel, gateway.process(), false, ready)),
                ready, List.of(context.jvmOptionsNote(processLabel, Role.GATEWAY, jvmOptions)));
    }

    /** Starts the gateway listening on loopback {@code port} with its route table. */
    abstract Started start(BenchContext context, int port);
}
