package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.bench.RawHttp;
import dev.meshgate.launcher.Role;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stock Spring Cloud Gateway of {@code src/bench/plain-gateway}: one route {@code /** → upstream}
 * and no filters, or a generated table of {@code routeCount} routes, the last one measured.
 */
public final class PlainGatewayContender implements Contender {

    static final String JAR = "src/bench/plain-gateway/target/plain-gateway.jar";

    private final int routeCount;
    private final List<String> jvmOptions;

    public PlainGatewayContender(int routeCount, List<String> jvmOptions) {
        this.routeCount = routeCount;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String id() {
        return routeCount == 1 ? "plain-scg" : "plain-scg-" + routeCount + "-routes";
    }

    @Override
    public String title() {
        return routeCount == 1 ? "plain Spring Cloud Gateway (1 route, no filters)"
                : "plain Spring Cloud Gateway, " + routeCount + " routes (StripPrefix each), last route measured";
    }

    @Override
    public boolean jvm() {
        return true;
    }

    @Override
    public boolean fullMatrix() {
        return routeCount == 1;
    }

    @Override
    public Deployment deploy(BenchContext context) {
        int port = context.freePorts(1).get(0);
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--bench.upstream=" + context.upstreamUrl()));
        String prefix = "";
        if (routeCount > 1) {
            GatewayRoutes routes = GatewayRoutes.generated(routeCount, context.upstreamUrl());
            args.add(RouteFiles.write(context, id(), routes));
            prefix = routes.lastPrefix();
        }
        BenchProcess gateway = context.startJvm(id(), Role.GATEWAY, jvmOptions, context.jar(JAR), args);
        String probePath = prefix + "/bytes?size=1";
        Duration ready = gateway.awaitReady("a request through the route",
                () -> RawHttp.get(port, "127.0.0.1", probePath, 2000), context.startTimeout());
        return new Deployment(port, "127.0.0.1", prefix, List.of(new MeasuredProcess("plain gateway", gateway, false, ready)),
                ready, List.of(context.jvmOptionsNote("plain gateway", Role.GATEWAY, jvmOptions)));
    }
}
