package dev.meshgate.bench;

import dev.meshgate.bench.contender.GatewayRoutes;
import dev.meshgate.bench.contender.RouteFiles;
import dev.meshgate.bench.load.Wrk;
import dev.meshgate.bench.proc.ProcFiles;
import dev.meshgate.bench.report.StartupFigures;
import dev.meshgate.launcher.Role;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time to ready of the mesh-node and the gateway on JDK 25, plain and with an AOT cache, beside the
 * JDK 17 figure of the main run. The fat jar is extracted first ({@code -Djarmode=tools extract}):
 * classes loaded from nested jars by Spring Boot's own class loader cannot be cached, classes on the
 * plain class path can.
 */
public final class StartupComparison {

    private static final Duration TRAINING_LOAD = Duration.ofSeconds(5);
    private static final Duration CACHE_WRITE_LIMIT = Duration.ofSeconds(180);

    private final BenchContext context;
    private final Path jdk25Java;
    private final Wrk wrk;
    private final ProcFiles proc;

    public StartupComparison(BenchContext context, Path jdk25Java, Wrk wrk, ProcFiles proc) {
        this.context = context;
        this.jdk25Java = jdk25Java;
        this.wrk = wrk;
        this.proc = proc;
    }

    /** One component: how to start it from a jar, and how to probe its readiness and its request path. */
    private record Component(String name, String jar, Role role, List<String> args, int probePort, String probePath,
                             int loadPort, String loadPath) {
    }

    public List<StartupFigures> run(java.io.PrintStream log) {
        List<StartupFigures> figures = new ArrayList<>();
        for (Component component : components()) {
            log.printf("%n== start-up of %s on JDK 25%n", component.name());
            Path extracted;
            try {
                extracted = extract(component);
            } catch (RuntimeException e) {
                figures.add(new StartupFigures(component.name(), "JDK 25", Double.NaN, -1, e.getMessage()));
                continue;
            }
            Path cache = context.runDir().resolve("aot").resolve(component.name() + ".aot");
            figures.add(start(component, extracted, "JDK 25 (extracted jar)", "jdk25", List.of(), log));
            StartupFigures training = train(component, extracted, cache, log);
            if (training != null) {
                figures.add(training);
            } else {
                figures.add(start(component, extracted, "JDK 25 + AOT cache (extracted jar)", "jdk25-aot",
                        List.of("-XX:AOTCache=" + cache), log));
            }
        }
        return figures;
    }

    private List<Component> components() {
        List<Integer> ports = context.freePorts(4);
        int nodeAdmin = ports.get(0);
        int nodeInbound = ports.get(1);
        int gatewayPort = ports.get(3);
        Component node = new Component("mesh-node", "mesh-node/target/mesh-node.jar", Role.MESH_NODE, List.of(
                "--server.address=127.0.0.1", "--server.port=" + nodeAdmin,
                "--mesh.node.service=bench-startup", "--mesh.node.advertised-host=127.0.0.1",
                "--mesh.listeners.outbound.port=" + ports.get(2), "--mesh.listeners.inbound.port=" + nodeInbound,
                "--mesh.app.port=" + context.upstreamPort(), "--mesh.registry.url=" + context.registryUrl(),
                "--mesh.config-server.url=" + context.closedConfigServerUrl()),
                nodeAdmin, "/actuator/health/readiness", nodeInbound, "/bytes?size=1024");
        String routeFile = RouteFiles.write(context, "startup-gateway", GatewayRoutes.single("/bench", context.upstreamUrl()));
        Component gateway = new Component("gateway", "gateway/target/gateway.jar", Role.GATEWAY, List.of(
                "--server.address=127.0.0.1", "--server.port=" + gatewayPort,
                "--mesh.registry.url=" + context.registryUrl(), "--mesh.config-server.url=" + context.closedConfigServerUrl(),
                routeFile),
                gatewayPort, "/bench/bytes?size=1", gatewayPort, "/bench/bytes?size=1024");
        return List.of(node, gateway);
    }

    private Path extract(Component component) {
        Path destination = context.runDir().resolve("extracted").resolve(component.name());
        Path jar = destination.resolve(Path.of(component.jar()).getFileName());
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        List<String> command = List.of(jdk25Java.toString(), "-Djarmode=tools", "-jar",
                context.jar(component.jar()).toString(), "extract", "--destination", destination.toString());
        try {
            Process extract = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(context.log("extract-" + component.name()).toFile()).start();
            if (!extract.waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0 || !Files.isRegularFile(jar)) {
                extract.destroyForcibly();
                throw new BenchException("cannot extract " + component.jar() + " (" + String.join(" ", command) + ")");
            }
            return jar;
        } catch (IOException e) {
            throw new BenchException("cannot extract " + component.jar() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    private StartupFigures start(Component component, Path jar, String jvm, String logName, List<String> options,
                                 java.io.PrintStream log) {
        BenchProcess process = context.withJava(jdk25Java).startJvm(component.name() + "-startup-" + logName, component.role(),
                options, jar, component.args());
        try {
            Duration ready = process.awaitReady("readiness", () -> RawHttp.get(component.probePort(), "127.0.0.1",
                    component.probePath(), 2000), context.startTimeout());
            long rss = readRss(process);
            log.printf("   %s: ready in %d ms%n", jvm, ready.toMillis());
            return new StartupFigures(component.name(), jvm, ready.toNanos() / 1e6, rss, null);
        } catch (RuntimeException e) {
            return new StartupFigures(component.name(), jvm, Double.NaN, -1, e.getMessage());
        } finally {
            context.processes().stop(process);
        }
    }

    /** The training run: ready, some traffic, a clean exit that writes the cache. Null when it worked. */
    private StartupFigures train(Component component, Path jar, Path cache, java.io.PrintStream log) {
        try {
            Files.createDirectories(cache.getParent());
            Files.deleteIfExists(cache);
        } catch (IOException e) {
            return new StartupFigures(component.name(), "JDK 25 + AOT cache", Double.NaN, -1, "cannot prepare " + cache);
        }
        BenchProcess process = context.withJava(jdk25Java).startJvm(component.name() + "-aot-training", component.role(),
                List.of("-XX:AOTCacheOutput=" + cache), jar, component.args());
        try {
            process.awaitReady("readiness", () -> RawHttp.get(component.probePort(), "127.0.0.1", component.probePath(), 2000),
                    context.startTimeout());
            wrk.run("http://127.0.0.1:" + component.loadPort() + component.loadPath(), "127.0.0.1", TRAINING_LOAD);
        } catch (RuntimeException e) {
            context.processes().stop(process);
            return new StartupFigures(component.name(), "JDK 25 + AOT cache", Double.NaN, -1, "training run failed: " + e.getMessage());
        }
        log.printf("   training run done, writing the AOT cache%n");
        boolean exited = process.terminateAndWait(CACHE_WRITE_LIMIT);
        context.processes().stop(process);
        if (!exited || !Files.isRegularFile(cache)) {
            return new StartupFigures(component.name(), "JDK 25 + AOT cache", Double.NaN, -1,
                    "the training run wrote no AOT cache (" + (exited ? "exited" : "killed after " + CACHE_WRITE_LIMIT.toSeconds() + " s")
                            + "); see " + process.log());
        }
        return null;
    }

    private long readRss(BenchProcess process) {
        try {
            return proc.memory(process.pid()).rssKb();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
