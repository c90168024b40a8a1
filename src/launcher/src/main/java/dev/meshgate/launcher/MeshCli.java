package dev.meshgate.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * {@code ./mesh}: {@code up} (foreground, or {@code --detach}), {@code down}, {@code status},
 * {@code help}. Every failure is one clear message on stderr and a non-zero exit code, never a stack
 * trace.
 */
public final class MeshCli {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    /** As {@code systemctl status}: the thing asked about is not running. */
    public static final int EXIT_NOT_RUNNING = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final PrintStream err;
    private final Path defaultHome;

    public MeshCli(PrintStream out, PrintStream err, Path defaultHome) {
        this.out = out;
        this.err = err;
        this.defaultHome = defaultHome;
    }

    public static void main(String[] args) {
        int code = new MeshCli(System.out, System.err, detectHome()).run(args);
        System.exit(code);
    }

    public int run(String... args) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("mesh: " + e.getMessage());
            err.println("run ./mesh help for the commands and options");
            return EXIT_USAGE;
        }
        try {
            return switch (options.command()) {
                case "up" -> up(options);
                case "down" -> down(options);
                case "status" -> status(options);
                case "class-archive" -> classArchive(options);
                case "help" -> {
                    printHelp(out);
                    yield EXIT_OK;
                }
                case "bench" -> {
                    // the ./mesh script hands bench to the suite before this program starts
                    err.println("mesh: bench runs from the repository root as ./mesh bench (or src/bench/run)");
                    yield EXIT_USAGE;
                }
                default -> {
                    err.println("mesh: unknown command '" + options.command() + "'");
                    printHelp(err);
                    yield EXIT_USAGE;
                }
            };
        } catch (LaunchException e) {
            err.println("mesh: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IllegalArgumentException e) {
            err.println("mesh: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("mesh: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    // ---- up ----

    private int up(CliOptions options) throws IOException {
        Path home = home(options);
        Path runDir = runDir(options, home);
        Path stateFile = StateFile.in(runDir);
        Optional<StateFile.RunState> existing = StateFile.read(stateFile);
        if (existing.isPresent()) {
            StateFile.RunState state = existing.get();
            if (state.anyAlive()) {
                err.println("mesh: a topology is already running (started " + TIME.format(state.startedAt())
                        + (state.detached() ? " with up --detach" : " in the foreground") + ", gateway " + state.gatewayUrl()
                        + "). See it with ./mesh status; stop it with ./mesh down");
                return EXIT_FAILED;
            }
            Files.deleteIfExists(stateFile);
        }
        Topology topology = topology(options, home, runDir);
        out.println("starting the topology: " + topology.processes().size() + " processes, logs in " + topology.logDir());
        out.flush();
        RunningTopology running = topology.start();
        StateFile.write(stateFile, StateFile.of(running, options.detach()));
        printTable(running);
        if (options.detach()) {
            running.detach();
            out.println("running in the background: ./mesh status to look, ./mesh down to stop");
            return EXIT_OK;
        }
        return runInForeground(running, stateFile);
    }

    /** Waits until Ctrl-C (then stops everything in order) or until a process dies on its own. */
    private int runInForeground(RunningTopology running, Path stateFile) {
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            out.println();
            out.println("stopping the topology...");
            out.flush();
            stop(running, stateFile);
        }, "mesh-up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("press Ctrl-C to stop");
        out.flush();
        CompletableFuture<?>[] exits = running.processes().stream().map(process -> process.process().onExit())
                .toArray(CompletableFuture[]::new);
        CompletableFuture.anyOf(exits).join();
        if (stopping.get()) {
            // the shutdown hook owns the stop; the JVM exits when it is done
            return EXIT_OK;
        }
        RunningProcess died = running.processes().stream().filter(process -> !process.isAlive()).findFirst().orElseThrow();
        err.println("mesh: " + died.name() + " exited with code " + died.process().exitValue() + "; stopping the others. Last "
                + Launcher.LOG_TAIL_LINES + " lines of " + died.logFile() + ":" + System.lineSeparator()
                + died.logTail(Launcher.LOG_TAIL_LINES));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return EXIT_FAILED;
        }
        stop(running, stateFile);
        return EXIT_FAILED;
    }

    private void stop(RunningTopology running, Path stateFile) {
        List<String> forced = running.stopAll();
        running.close();
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            err.println("mesh: cannot remove " + stateFile + ": " + e.getMessage());
        }
        out.println(forced.isEmpty() ? "stopped" : "stopped; killed after " + ProcessStopper.DEFAULT_GRACE.toSeconds()
                + " s without exiting: " + String.join(", ", forced));
        out.flush();
    }

    private Topology topology(CliOptions options, Path home, Path runDir) {
        Topology.Builder builder = Topology.builder(home).runDir(runDir);
        Optional.ofNullable(options.gatewayPort()).ifPresent(builder::gatewayPort);
        Optional.ofNullable(options.configPort()).ifPresent(builder::configPort);
        Optional.ofNullable(options.registryPort()).ifPresent(builder::registryPort);
        Optional.ofNullable(options.nodePortBase()).ifPresent(builder::nodePortBase);
        Optional.ofNullable(options.appPortBase()).ifPresent(builder::appPortBase);
        Optional.ofNullable(options.timeout()).ifPresent(builder::startTimeout);
        builder.jvmOptions(options.jvmOptions().toArray(String[]::new));
        return builder.build();
    }

    private void printTable(RunningTopology running) {
        Duration took = running.startupTime();
        out.printf("%nmeshgate is up (ready in %.1f s)%n%n", took.toMillis() / 1000.0);
        row("gateway", running.gatewayUrl());
        row("config server", running.configServerUrl());
        row("registry", running.registryUrl() + "  (GET /eureka/apps)");
        for (MeshNode node : running.nodes()) {
            row("mesh-node " + node.instanceId(), "admin " + node.adminUrl() + "  outbound :" + node.outboundPort()
                    + "  inbound :" + node.inboundPort() + "  app :" + node.appPort());
        }
        row("logs", running.topology().logDir().toString());
        out.println();
        out.println("try it:");
        out.println("  curl -s '" + running.gatewayUrl() + "/planner/plan?task=demo'");
        out.println();
        out.flush();
    }

    private void row(String part, String where) {
        out.printf("  %-22s %s%n", part, where);
    }

    // ---- down ----

    private int down(CliOptions options) throws IOException {
        Path stateFile = StateFile.in(runDir(options, home(options)));
        Optional<StateFile.RunState> state = StateFile.read(stateFile);
        if (state.isEmpty()) {
            out.println("nothing is running (no " + stateFile + ")");
            return EXIT_OK;
        }
        List<StateFile.ProcessRecord> alive = state.get().processes().stream()
                .filter(record -> record.liveHandle().isPresent()).toList();
        if (alive.isEmpty()) {
            Files.deleteIfExists(stateFile);
            out.println("nothing is running (removed the state file of a run whose processes have all exited)");
            return EXIT_OK;
        }
        out.println("stopping " + alive.size() + " processes...");
        out.flush();
        List<String> forced = new ArrayList<>();
        Map<Integer, List<StateFile.ProcessRecord>> byWave = alive.stream()
                .collect(Collectors.groupingBy(record -> record.role().wave()));
        for (int wave : byWave.keySet().stream().sorted(Comparator.reverseOrder()).toList()) {
            List<ProcessStopper.Target> targets = new ArrayList<>();
            for (StateFile.ProcessRecord record : byWave.get(wave)) {
                record.liveHandle().ifPresent(handle -> targets.add(new ProcessStopper.Target(record.name(), handle)));
            }
            forced.addAll(ProcessStopper.stop(targets, ProcessStopper.DEFAULT_GRACE));
        }
        Files.deleteIfExists(stateFile);
        out.println("stopped " + alive.stream().map(StateFile.ProcessRecord::name).collect(Collectors.joining(", ")));
        if (!forced.isEmpty()) {
            out.println("killed after " + ProcessStopper.DEFAULT_GRACE.toSeconds() + " s without exiting: " + String.join(", ", forced));
        }
        return EXIT_OK;
    }

    // ---- status ----

    private int status(CliOptions options) throws IOException {
        Path stateFile = StateFile.in(runDir(options, home(options)));
        Optional<StateFile.RunState> found = StateFile.read(stateFile);
        if (found.isEmpty()) {
            out.println("nothing is running (no " + stateFile + ")");
            return EXIT_NOT_RUNNING;
        }
        StateFile.RunState state = found.get();
        out.println("started " + TIME.format(state.startedAt()) + (state.detached() ? " (detached)" : " (foreground)")
                + ", gateway " + state.gatewayUrl());
        out.printf("  %-22s %-8s %-7s %-24s %s%n", "process", "pid", "state", "ports", "health");
        HttpProbe probe = new HttpProbe();
        boolean allWell = true;
        for (StateFile.ProcessRecord record : state.processes()) {
            boolean alive = record.liveHandle().isPresent();
            String health = alive ? healthOf(probe, record) : "-";
            allWell &= alive && health.startsWith("UP");
            out.printf("  %-22s %-8d %-7s %-24s %s%n", record.name(), record.pid(), alive ? "alive" : "exited",
                    record.ports(), health);
        }
        if (!state.anyAlive()) {
            out.println("every process has exited: ./mesh down clears the state, ./mesh up starts again");
            return EXIT_NOT_RUNNING;
        }
        return allWell ? EXIT_OK : EXIT_FAILED;
    }

    private static String healthOf(HttpProbe probe, StateFile.ProcessRecord record) {
        HttpProbe.Answer answer = probe.get(record.health());
        return answer.ok() ? "UP (" + record.health() + ")" : "DOWN: " + answer.describe() + " (" + record.health() + ")";
    }

    // ---- class-archive ----

    /**
     * Records the mesh-node class archive {@code up} would record on its first start, ahead of time:
     * for a container image (built once, every node of it starting fast) or before a first {@code up}.
     * The archive belongs to the JDK this command runs on, so it runs on the JDK the nodes will use.
     */
    private int classArchive(CliOptions options) throws IOException {
        Path home = home(options);
        CliOptions.ClassArchiveOptions given = options.classArchive();
        Path nodeJar = absolute(given.nodeJar() != null ? given.nodeJar() : home.resolve(Topology.NODE_JAR));
        if (!Files.isRegularFile(nodeJar)) {
            err.println("mesh: no mesh-node jar at " + nodeJar + (given.nodeJar() != null ? ""
                    : ": build it first (./mvnw -B -q -DskipTests package)"));
            return EXIT_FAILED;
        }
        List<String> jvmOptions;
        if (given.jvmOptionsFile() != null) {
            Path file = absolute(given.jvmOptionsFile());
            if (!Files.isRegularFile(file)) {
                err.println("mesh: no JVM options file at " + file);
                return EXIT_FAILED;
            }
            jvmOptions = NodeJvmOptions.parse(Files.readAllLines(file));
        } else {
            jvmOptions = NodeJvmOptions.read(home);
        }
        Path archiveDir = absolute(given.archiveDir() != null ? given.archiveDir()
                : Topology.classArchiveDir(runDir(options, home)));
        Path java = Topology.runningJava();
        Path log = archiveDir.resolve("class-archive.log");
        AtomicReference<String> lastReport = new AtomicReference<>();
        out.println("mesh-node class archive for " + nodeJar + " on " + java
                + " (a training node records it unless this jar and JDK have one already), log in " + log);
        out.flush();
        Optional<NodeClassArchive.Prepared> prepared = new NodeClassArchive(java, nodeJar, archiveDir, jvmOptions, log,
                line -> {
                    lastReport.set(line);
                    out.println(line);
                }).prepare();
        if (prepared.isEmpty()) {
            err.println("mesh: no class archive: " + (lastReport.get() == null ? "see " + log : lastReport.get()));
            return EXIT_FAILED;
        }
        out.println("class archive ready: " + prepared.get().archiveOption());
        List<String> javaArguments = new ArrayList<>(jvmOptions);
        javaArguments.add(prepared.get().archiveOption());
        javaArguments.add("-jar");
        javaArguments.add(prepared.get().extractedJar().toString());
        if (given.argsFile() != null) {
            Path argsFile = absolute(given.argsFile());
            Files.createDirectories(argsFile.getParent());
            Files.writeString(argsFile, NodeJvmOptions.argumentFile(javaArguments));
            out.println("start a node with it: java @" + argsFile + " [node arguments]");
        } else {
            out.println("start a node with it: java " + String.join(" ", javaArguments) + " [node arguments]");
        }
        return EXIT_OK;
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    // ---- shared ----

    private Path home(CliOptions options) {
        return (options.home() != null ? options.home() : defaultHome).toAbsolutePath().normalize();
    }

    private static Path runDir(CliOptions options, Path home) {
        return (options.runDir() != null ? options.runDir() : home.resolve(".mesh")).toAbsolutePath().normalize();
    }

    /**
     * The repository root: {@code -Dmesh.home} (the {@code ./mesh} script sets it), else where this
     * jar sits ({@code <home>/src/launcher/target/launcher.jar}), else the working directory.
     */
    static Path detectHome() {
        String property = System.getProperty("mesh.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            Path location = Path.of(MeshCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = location;
            for (int up = 0; up < 4 && candidate != null; up++) {
                candidate = candidate.getParent();
            }
            if (candidate != null && Files.isRegularFile(candidate.resolve("pom.xml"))
                    && Files.isDirectory(candidate.resolve("src/launcher"))) {
                return candidate;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    static void printHelp(PrintStream to) {
        to.println("""
                usage: ./mesh <command> [options]

                commands:
                  up              start the whole topology on loopback and wait; Ctrl-C stops it
                  up --detach     start it in the background and return once it is ready
                  status          list the processes of the running topology: pid, alive, ports, health
                  class-archive   record the mesh-node class archive ahead of time (up records it on first start;
                                  container images record theirs when built)
                  down            stop the topology started with up --detach
                  bench [--quick] benchmark against nginx, HAProxy and plain Spring Cloud Gateway (src/bench)
                  help            this text

                options:
                  --gateway-port N     gateway port (default 8080)
                  --config-port N      config server port (default 8888)
                  --registry-port N    registry port (default 8761)
                  --node-port-base N   mesh-node ports: node i takes N+100i (admin), +1 (outbound), +6 (inbound); default 15000
                  --app-port-base N    sample apps: planner N+1, search N+101 and N+102, calc N+201; default 9000
                  --run-dir DIR        state file and logs (default .mesh at the repository root)
                  --timeout SECONDS    how long up waits for everything to be ready (default %d s here)
                  --jvm-option OPT     add a JVM option to every process (repeatable)
                  --home DIR           the repository root (found by itself normally)

                class-archive options (each defaults to this checkout and the archive up uses):
                  --node-jar JAR       the mesh-node jar to record the archive for
                  --archive-dir DIR    where the extracted jar and the archive go
                  --jvm-options FILE   the nodes' JVM options (default mesh-node/jvm.options)
                  --args-file FILE     also write a java argument file that starts a node with the archive

                once up:  curl -s 'http://127.0.0.1:8080/planner/plan?task=demo'""".formatted(Topology.defaultStartTimeout().toSeconds()));
    }
}
