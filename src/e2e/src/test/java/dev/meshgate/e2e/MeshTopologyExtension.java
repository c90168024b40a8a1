package dev.meshgate.e2e;

import dev.meshgate.launcher.RunningTopology;
import dev.meshgate.launcher.Topology;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole default topology for one test class, through the same launcher code as
 * {@code ./mesh up}: every port free on loopback, Netty leak detection paranoid in every process,
 * logs in {@code target/e2e-logs/<class>/}. After the class, the topology is stopped (also when a
 * test failed) and the class fails if any process log reports a Netty leak.
 */
public final class MeshTopologyExtension implements BeforeAllCallback, AfterAllCallback {

    static final List<String> LEAK_DETECTION = List.of("-Dio.netty.leakDetection.level=paranoid",
            "-Dio.netty.leakDetection.targetRecords=16");

    private final Map<String, List<String>> jvmOptionsByProcess = new LinkedHashMap<>();
    private RunningTopology running;
    private Map<String, Path> logFiles = Map.of();

    /** JVM options for one process of the topology (e.g. a tighter heap for one node). */
    public MeshTopologyExtension jvmOptionsFor(String processName, String... options) {
        jvmOptionsByProcess.computeIfAbsent(processName, name -> new ArrayList<>()).addAll(List.of(options));
        return this;
    }

    public RunningTopology topology() {
        if (running == null) {
            throw new IllegalStateException("the topology is not running (did it fail to start? see the class's first error)");
        }
        return running;
    }

    static Path home() {
        return Path.of(System.getProperty("mesh.home", "../..")).toAbsolutePath().normalize();
    }

    static Path logRoot() {
        return Path.of(System.getProperty("mesh.e2e.logs", "target/e2e-logs")).toAbsolutePath().normalize();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path logs = logRoot().resolve(context.getRequiredTestClass().getSimpleName());
        Topology.Builder builder = Topology.builder(home()).freePorts().runDir(logs).logDir(logs)
                .jvmOptions(LEAK_DETECTION.toArray(String[]::new));
        jvmOptionsByProcess.forEach((name, options) -> builder.jvmOptionsFor(name, options.toArray(String[]::new)));
        Topology topology = builder.build();
        logFiles = new LinkedHashMap<>();
        topology.processes().forEach(spec -> logFiles.put(spec.name(), spec.logFile()));
        running = topology.start();
        System.out.printf("topology for %s ready in %.1f s (gateway %s)%n", context.getDisplayName(),
                running.startupTime().toMillis() / 1000.0, running.gatewayUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (running != null) {
            List<String> forced = running.stopAll();
            running.close();
            running = null;
            if (!forced.isEmpty()) {
                System.out.println("killed after the grace period: " + forced);
            }
        }
        List<String> leaks = leakReports(logFiles);
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported leaked buffers in " + leaks.size() + " process(es):"
                    + System.lineSeparator() + String.join(System.lineSeparator() + System.lineSeparator(), leaks));
        }
    }

    /** One entry per process whose log contains Netty's "LEAK:" report: the process name and the report's first lines. */
    static List<String> leakReports(Map<String, Path> logFiles) throws IOException {
        List<String> reports = new ArrayList<>();
        for (Map.Entry<String, Path> log : logFiles.entrySet()) {
            if (!Files.isRegularFile(log.getValue())) {
                continue;
            }
            List<String> lines = Files.readAllLines(log.getValue(), StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("LEAK:")) {
                    reports.add(log.getKey() + " (" + log.getValue() + "):" + System.lineSeparator()
                            + String.join(System.lineSeparator(), lines.subList(i, Math.min(lines.size(), i + 15))));
                    break;
                }
            }
        }
        return reports;
    }
}
