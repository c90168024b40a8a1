package dev.meshgate.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A started topology: where each part listens, its processes, and {@link #close()} to stop them all.
 * Until closed or {@linkplain #detach() detached}, a JVM shutdown hook stops the processes too, so
 * an interrupted test run leaves nothing behind.
 */
public final class RunningTopology implements AutoCloseable {

    /** Runs each process in its own session, so a Ctrl-C in the terminal reaches only the launcher, which stops them in order. */
    private static final Path SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
            .filter(Files::isExecutable).findFirst().orElse(null);

    private final Topology topology;
    private final Instant startedAt;
    private final List<RunningProcess> processes = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private volatile Duration startupTime;
    private volatile boolean closed;
    private volatile boolean hookRegistered;

    RunningTopology(Topology topology, Instant startedAt) {
        this.topology = topology;
        this.startedAt = startedAt;
        this.shutdownHook = new Thread(this::stopAll, "topology-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.hookRegistered = true;
    }

    RunningProcess launch(ProcessSpec spec) {
        return launch(spec, topology.runnableJar(spec));
    }

    /** Runs {@code runnableJar} in place of the spec's jar (a copy of it, or its extracted form). */
    RunningProcess launch(ProcessSpec spec, Path runnableJar) {
        List<String> command = spec.command(topology.javaExecutable(), runnableJar);
        Launcher.writeLogHeader(spec.logFile(), command);
        List<String> withSession = new ArrayList<>();
        if (SETSID != null) {
            // setsid execs in place (a child is never a group leader), so the pid stays the JVM's
            withSession.add(SETSID.toString());
        }
        withSession.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(withSession)
                .directory(topology.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        try {
            RunningProcess process = new RunningProcess(spec, builder.start(), Instant.now());
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new LaunchException("cannot start " + spec.name() + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    void markReady(Duration startupTime) {
        this.startupTime = startupTime;
    }

    public Topology topology() {
        return topology;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** From the first process started to the first request answered through the gateway. */
    public Duration startupTime() {
        return startupTime;
    }

    public String gatewayUrl() {
        return topology.gatewayUrl();
    }

    public String configServerUrl() {
        return topology.configServerUrl();
    }

    public String registryUrl() {
        return topology.registryUrl();
    }

    public List<MeshNode> nodes() {
        return topology.nodes();
    }

    public MeshNode node(String instanceId) {
        return topology.node(instanceId);
    }

    public List<RunningProcess> processes() {
        return List.copyOf(processes);
    }

    public RunningProcess process(String name) {
        return processes.stream().filter(process -> process.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no process " + name + "; running: "
                        + processes.stream().map(RunningProcess::name).collect(Collectors.joining(", "))));
    }

    /** Every process's log file by process name. */
    public Map<String, Path> logFiles() {
        return processes.stream().collect(Collectors.toMap(RunningProcess::name, RunningProcess::logFile,
                (first, second) -> first, java.util.LinkedHashMap::new));
    }

    /** Stops one process (e.g. to test what the mesh does when an app is down); the others keep running. */
    public List<String> stopProcess(String name) {
        RunningProcess process = process(name);
        return ProcessStopper.stop(List.of(new ProcessStopper.Target(name, process.handle())), ProcessStopper.DEFAULT_GRACE);
    }

    /** Lets the processes outlive this JVM: {@code up --detach} hands them over to the state file. */
    public void detach() {
        closed = true;
        removeHook();
    }

    /**
     * Stops every process, the edge and the nodes first, the control plane last, so nodes can
     * deregister. Returns the names of processes that had to be killed; never throws.
     */
    public List<String> stopAll() {
        List<String> forced = new ArrayList<>();
        List<List<RunningProcess>> waves = new ArrayList<>(processes.stream()
                .collect(Collectors.groupingBy(process -> process.spec().role().wave())).entrySet().stream()
                .sorted(Map.Entry.<Integer, List<RunningProcess>>comparingByKey(Comparator.reverseOrder()))
                .map(Map.Entry::getValue).toList());
        for (List<RunningProcess> wave : waves) {
            forced.addAll(ProcessStopper.stop(wave.stream()
                    .map(process -> new ProcessStopper.Target(process.name(), process.handle())).toList(),
                    ProcessStopper.DEFAULT_GRACE));
        }
        return forced;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopAll();
        } finally {
            removeHook();
        }
    }

    private void removeHook() {
        if (!hookRegistered) {
            return;
        }
        hookRegistered = false;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }
}
