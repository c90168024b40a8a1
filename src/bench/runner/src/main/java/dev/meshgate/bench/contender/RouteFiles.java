package dev.meshgate.bench.contender;

import dev.meshgate.bench.BenchContext;
import dev.meshgate.bench.BenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a gateway route table where a gateway can be pointed at it. */
final class RouteFiles {

    private RouteFiles() {
    }

    /** The file, and the argument that adds it to a Spring Boot application's configuration. */
    static String write(BenchContext context, String name, GatewayRoutes routes) {
        Path file = context.runDir().resolve("routes").resolve(name + ".yml");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, routes.toYaml());
        } catch (IOException e) {
            throw new BenchException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return "--spring.config.additional-location=file:" + file;
    }
}
