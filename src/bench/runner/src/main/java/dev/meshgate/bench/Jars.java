package dev.meshgate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The jars the contenders run, rebuilt with the Maven wrapper when missing or older than their module's
 * sources (or the shared library's), so a run never measures stale code.
 */
public final class Jars {

    /** Module directory to the jar it builds. */
    static final Map<String, String> MODULES = Map.of(
            "mesh-node", "mesh-node/target/mesh-node.jar",
            "gateway", "gateway/target/gateway.jar",
            "registry", "registry/target/registry.jar",
            "src/samples", "src/samples/target/samples.jar",
            "src/bench/plain-gateway", "src/bench/plain-gateway/target/plain-gateway.jar");

    private static final List<String> SHARED_MODULES = List.of("src/mesh-core", "pom.xml");

    private Jars() {
    }

    /** Modules whose jar is missing or older than any of their sources. */
    static List<String> stale(Path home) {
        FileTime shared = newest(home, SHARED_MODULES);
        List<String> stale = new ArrayList<>();
        MODULES.forEach((module, jar) -> {
            Path jarFile = home.resolve(jar);
            try {
                if (!Files.isRegularFile(jarFile)) {
                    stale.add(module);
                    return;
                }
                FileTime built = Files.getLastModifiedTime(jarFile);
                FileTime sources = newest(home, List.of(module + "/src", module + "/pom.xml"));
                if (sources.compareTo(built) > 0 || shared.compareTo(built) > 0) {
                    stale.add(module);
                }
            } catch (IOException e) {
                stale.add(module);
            }
        });
        stale.sort(String::compareTo);
        return stale;
    }

    /** Builds the stale modules (and what they depend on), tests skipped: the suite measures, it does not test. */
    static void build(Path home, List<String> modules, PrintStream log) {
        if (modules.isEmpty()) {
            return;
        }
        List<String> command = List.of(home.resolve("mvnw").toString(), "-B", "-q", "-DskipTests", "package",
                "-pl", String.join(",", modules), "-am");
        log.println("building " + String.join(", ", modules) + ": " + String.join(" ", command));
        try {
            Process maven = new ProcessBuilder(command).directory(home.toFile()).inheritIO().start();
            if (!maven.waitFor(20, TimeUnit.MINUTES) || maven.exitValue() != 0) {
                maven.destroyForcibly();
                throw new BenchException("the build failed (" + String.join(" ", command) + "); fix it or run with --no-build");
            }
        } catch (IOException e) {
            throw new BenchException("cannot run the Maven wrapper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted during the build", e);
        }
    }

    private static FileTime newest(Path home, List<String> paths) {
        FileTime newest = FileTime.fromMillis(0);
        for (String relative : paths) {
            Path path = home.resolve(relative);
            if (!Files.exists(path)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    FileTime modified = Files.getLastModifiedTime(file);
                    if (modified.compareTo(newest) > 0) {
                        newest = modified;
                    }
                }
            } catch (IOException e) {
                // unreadable sources count as unchanged; the build itself would report them
            }
        }
        return newest;
    }

    /** The repository root: the first directory up from {@code start} holding the Maven wrapper and mesh-node/. */
    static Path findHome(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("mesh-node"))) {
                return dir;
            }
        }
        return null;
    }
}
