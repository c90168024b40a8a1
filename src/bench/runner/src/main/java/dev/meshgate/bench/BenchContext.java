package dev.meshgate.bench;

import dev.meshgate.launcher.LoopbackPorts;
import dev.meshgate.launcher.Role;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every contender needs to start: the repository (for the jars), a run directory for configs and
 * logs, the shared upstream and registry, the JDK to run JVMs on, and the list of started processes.
 */
public final class BenchContext {

    /** Every Netty-based JVM runs without leak detection: it samples stack traces and is off in production. */
    public static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    private final Path home;
    private final Path runDir;
    private final StartedProcesses processes;
    private final Path java;
    private final int upstreamPort;
    private final int registryPort;
    private final int closedPort;
    private final Duration startTimeout;

    public BenchContext(Path home, Path runDir, StartedProcesses processes, Path java, int upstreamPort,
                        int registryPort, int closedPort, Duration startTimeout) {
        this.home = home;
        this.runDir = runDir;
        this.processes = processes;
        this.java = java;
        this.upstreamPort = upstreamPort;
        this.registryPort = registryPort;
        this.closedPort = closedPort;
        this.startTimeout = startTimeout;
    }

    /** The same context with JVMs run on another JDK (start-up comparisons). */
    public BenchContext withJava(Path otherJava) {
        return new BenchContext(home, runDir, processes, otherJava, upstreamPort, registryPort, closedPort, startTimeout);
    }

    public Path home() {
        return home;
    }

    public Path runDir() {
        return runDir;
    }

    public StartedProcesses processes() {
        return processes;
    }

    public Path java() {
        return java;
    }

    public int upstreamPort() {
        return upstreamPort;
    }

    public String upstreamUrl() {
        return "http://127.0.0.1:" + upstreamPort;
    }

    public int registryPort() {
        return registryPort;
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort + "/eureka";
    }

    /** A loopback port nothing listens on: where our components are told the config server is. */
    public String closedConfigServerUrl() {
        return "http://127.0.0.1:" + closedPort;
    }

    public int closedPort() {
        return closedPort;
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    public Path jar(String relative) {
        return home.resolve(relative);
    }

    public List<Integer> freePorts(int count) {
        return LoopbackPorts.free(count);
    }

    public Path log(String name) {
        return runDir.resolve("logs").resolve(name + ".log");
    }

    /**
     * Starts {@code java <role defaults> <extra options> -jar <jar> <args>}: the heap cap and collector
     * of the role are what {@code ./mesh up} runs, so the benchmark measures the shipped settings.
     */
    public BenchProcess startJvm(String name, Role role, List<String> extraJvmOptions, Path jar, List<String> args) {
        return processes.add(BenchProcess.start(name, jvmCommand(role, extraJvmOptions, jar, args), home, log(name)));
    }

    /** Like {@link #startJvm} for a process every contender uses (upstream, registry): it stays up until the run ends. */
    public BenchProcess startSharedJvm(String name, Role role, List<String> extraJvmOptions, Path jar, List<String> args) {
        return processes.addShared(BenchProcess.start(name, jvmCommand(role, extraJvmOptions, jar, args), home, log(name)));
    }

    private List<String> jvmCommand(Role role, List<String> extraJvmOptions, Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions(role, extraJvmOptions));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return command;
    }

    /**
     * The options a JVM of {@code role} is started with here, in command-line order: the role's shipped
     * options, leak detection off, then {@code extraJvmOptions}.
     */
    public List<String> jvmOptions(Role role, List<String> extraJvmOptions) {
        List<String> options = new ArrayList<>();
        boolean aot = extraJvmOptions.stream().anyMatch(option -> option.startsWith("-XX:AOTCache"));
        // the AOT cache options refuse to start beside any -Xshare setting, which some roles carry
        role.jvmOptions(home).stream().filter(option -> !(aot && option.startsWith("-Xshare"))).forEach(options::add);
        options.add(NO_LEAK_DETECTION);
        options.addAll(extraJvmOptions);
        return options;
    }

    /** A report note naming the options {@code component} ran with: built from the same list as its command line. */
    public String jvmOptionsNote(String component, Role role, List<String> extraJvmOptions) {
        return component + " JVM options: " + String.join(" ", jvmOptions(role, extraJvmOptions));
    }

    /** Writes a file (a proxy's config, a route table) under the run directory and returns where it is. */
    public Path writeRunFile(Path relative, String content) {
        Path file = runDir.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new BenchException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    public BenchProcess start(String name, List<String> command) {
        return processes.add(BenchProcess.start(name, command, home, log(name)));
    }
}
