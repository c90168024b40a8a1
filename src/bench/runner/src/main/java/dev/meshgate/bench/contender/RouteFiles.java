package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;

import java.nio.file.Path;

/** Writes a gateway route table where a gateway can be pointed at it. */
public final class RouteFiles {

    private RouteFiles() {
    }

    /** The file, and the argument that adds it to a Spring Boot application's configuration. */
    public static String write(BenchContext context, String name, GatewayRoutes routes) {
        Path file = context.writeRunFile(Path.of("routes", name + ".yml"), routes.toYaml());
        return "--spring.config.additional-location=file:" + file;
    }
}
