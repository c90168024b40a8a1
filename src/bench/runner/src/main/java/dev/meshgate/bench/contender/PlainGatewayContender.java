package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchProcess;
import dev.meshgate.launcher.Role;

import java.util.ArrayList;
import java.util.List;

/**
 * The stock Spring Cloud Gateway of {@code src/bench/plain-gateway}: one route {@code /** → upstream}
 * and no filters, or a generated table of {@code routeCount} routes, the last one measured.
 */
public final class PlainGatewayContender extends SpringGatewayContender {

    static final String JAR = "src/bench/plain-gateway/target/plain-gateway.jar";

    public PlainGatewayContender(int routeCount, List<String> jvmOptions) {
        super("plain-scg", "plain gateway", routeCount, jvmOptions);
    }

    @Override
    public String title() {
        return routeCount == 1 ? "plain Spring Cloud Gateway (1 route, no filters)"
                : "plain Spring Cloud Gateway, " + routeCount + " routes (StripPrefix each), last route measured";
    }

    @Override
    Started start(BenchContext context, int port) {
        // one route is the application's own (bench.upstream); a table replaces it from a route file
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--bench.upstream=" + context.upstreamUrl()));
        String prefix = "";
        if (routeCount > 1) {
            GatewayRoutes routes = GatewayRoutes.generated(routeCount, context.upstreamUrl());
            args.add(RouteFiles.write(context, id(), routes));
            prefix = routes.lastPrefix();
        }
        BenchProcess gateway = context.startJvm(id(), Role.GATEWAY, jvmOptions, context.jar(JAR), args);
        return new Started(gateway, prefix);
    }
}
