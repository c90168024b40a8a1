package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.launcher.Role;

import java.util.List;

/**
 * Our gateway ({@code gateway/}) with everything it turns on by default (tracing, one new trace in ten recorded,
 * metrics, its error handling, discovery client), one route {@code /bench/** → upstream} with
 * {@code StripPrefix=1} as in the shipped route file, or a generated table of many routes. The config
 * server is pointed at a closed port, so the route file given here is the whole route table.
 */
public final class GatewayContender extends SpringGatewayContender {

    static final String JAR = "gateway/target/gateway.jar";

    public GatewayContender(int routeCount, List<String> jvmOptions) {
        super("gateway", "gateway", routeCount, jvmOptions);
    }

    @Override
    public String title() {
        return routeCount == 1 ? "our gateway (default filters on, 1 route)"
                : "our gateway, " + routeCount + " routes, last route measured";
    }

    @Override
    Started start(BenchContext context, int port) {
        GatewayRoutes routes = routeCount == 1 ? GatewayRoutes.single("/bench", context.upstreamUrl())
                : GatewayRoutes.generated(routeCount, context.upstreamUrl());
        BenchProcess gateway = start(context, id(), port, RouteFiles.write(context, id(), routes), jvmOptions);
        return new Started(gateway, routes.lastPrefix());
    }

    /** Starts our gateway with a route file, the shared registry and no reachable config server. */
    static BenchProcess start(BenchContext context, String name, int port, String routeFileArgument, List<String> jvmOptions) {
        return context.startJvm(name, Role.GATEWAY, jvmOptions, context.jar(JAR), List.of(
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--mesh.registry.url=" + context.registryUrl(),
                "--mesh.config-server.url=" + context.closedConfigServerUrl(),
                routeFileArgument));
    }
}
