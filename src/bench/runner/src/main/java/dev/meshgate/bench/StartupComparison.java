package dev.meshgate.bench;

import dev.meshgate.bench.contender.GatewayRoutes;
import dev.meshgate.bench.contender.RouteFiles;
import dev.meshgate.bench.load.Wrk;
import dev.meshgate.bench.proc.ProcFiles;
import dev.meshgate.bench.report.StartupFigures;
import dev.meshgate.launcher.NodeClassArchive;
import dev.meshgate.launcher.Role;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Time to ready of the mesh-node on the run's JDK with the class archive {@code ./mesh up} gives it,
 * and of the mesh-node and the gateway on JDK 25, plain and with an AOT cache, beside the plain-jar
 * figure of the main run. The fat jar is extracted first ({@code -Djarmode=tools extract}): classes
 * loaded from nested jars by Spring Boot's own class loader cannot be cached, classes on the plain
 * class path can.
 */
public final class StartupComparison {

    private static final Duration TRAINING_LOAD = Duration.ofSeconds(5);
    private static final Duration CACHE_WRITE_LIMIT = Duration.ofSeconds(180);

    private final BenchContext context;
    /** Null when there is no JDK 25: the class-archive case on the run's JDK is measured all the same. */
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
        List<Component> components = components();
        figures.addAll(onTheRunsJdk(components.get(0), log));
        if (jdk25Java == null) {
            return figures;
        }
        for (Component component : components) {
            log.printf("%n== start-up of %s on JDK 25%n", component.name());
            Path extracted;
            try {
                extracted = extract(component);
            } catch (RuntimeException e) {
                figures.add(new StartupFigures(component.name(), "JDK 25", Double.NaN, -1, e.getMessage()));
                continue;
            }
            Path cache = context.runDir().resolve("aot").resolve(component.name() + ".aot");
            figures.add(start(component, jdk25Java, extracted, "JDK 25 (extracted jar)", "jdk25", List.of(), log));
            StartupFigures training = train(component, extracted, cache, log);
            if (training != null) {
                figures.add(training);
            } else {
                figures.add(start(component, jdk25Java, extracted, "JDK 25 + AOT cache (extracted jar)", "jdk25-aot",
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

    /** The mesh-node on the run's JDK: from the plain jar, then as {@code ./mesh up} starts it. */
    private List<StartupFigures> onTheRunsJdk(Component node, java.io.PrintStream log) {
        Path java = context.java();
        int feature = jdkFeature(java);
        log.printf("%n== start-up of %s on the run's JDK, plain and with the class archive ./mesh up records%n", node.name());
        // the plain jar again, beside the archive under the same load: the main run's figure may be far off in time
        StartupFigures plain = start(node, java, context.jar(node.jar()), jdk(feature) + " (jar)", "plain", List.of(), log);
        return List.of(plain, withClassArchive(node, java, feature, log));
    }

    /**
     * The mesh-node on the run's JDK as {@code ./mesh up} starts it: the launcher's own
     * {@link NodeClassArchive} extracts the jar and records the archive with its training node (AppCDS
     * on JDK 17, an AOT cache from JDK 25 on), and the node runs the extracted jar mapping it. The
     * archive is recorded afresh in the run directory, as on a first {@code ./mesh up}.
     */
    private StartupFigures withClassArchive(Component node, Path java, int feature, java.io.PrintStream log) {
        List<String> reported = new ArrayList<>();
        Optional<NodeClassArchive.Prepared> archive = new NodeClassArchive(java, context.jar(node.jar()),
                context.runDir().resolve("class-archive"), node.role().jvmOptions(context.home()),
                context.log(node.name() + "-class-archive"), line -> {
                    reported.add(line);
                    log.println("   " + line);
                }).prepare();
        String jvm = classArchiveJvm(feature, archive.map(NodeClassArchive.Prepared::archiveOption).orElse(null));
        if (archive.isEmpty()) {
            return new StartupFigures(node.name(), jvm, Double.NaN, -1,
                    reported.isEmpty() ? "no class archive" : reported.get(reported.size() - 1));
        }
        return start(node, java, archive.get().extractedJar(), jvm, "class-archive", List.of(archive.get().archiveOption()), log);
    }

    /** How the class-archive case is named: the JDK's feature release and the kind of archive its option maps. */
    static String classArchiveJvm(int jdkFeature, String archiveOption) {
        String kind = archiveOption == null ? "class archive"
                : archiveOption.startsWith("-XX:AOTCache=") ? "AOT cache"
                : archiveOption.startsWith("-XX:SharedArchiveFile=") ? "AppCDS archive" : "class archive";
        return jdk(jdkFeature) + " + " + kind + " (extracted jar, as ./mesh up)";
    }

    private static String jdk(int feature) {
        return feature > 0 ? "JDK " + feature : "JDK of the run";
    }

    /** The feature release of the JDK {@code java} belongs to, 0 when it cannot be told. */
    static int jdkFeature(Path java) {
        try {
            return NodeClassArchive.jdkVersion(java).map(version -> Runtime.Version.parse(version).feature()).orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private StartupFigures start(Component component, Path java, Path jar, String jvm, String logName, List<String> options,
                                 java.io.PrintStream log) {
        BenchProcess process = context.withJava(java).startJvm(component.name() + "-startup-" + logName, component.role(),
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
