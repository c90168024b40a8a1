package dev.meshgate.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <run-dir>/state.properties}: what {@code up} started (pids, ports, health URLs, logs), so
 * that {@code status} and {@code down} can find the processes from another JVM.
 */
public final class StateFile {

    public static final String FILE_NAME = "state.properties";

    /** One process as recorded; {@code processStart} guards against a recycled pid. */
    public record ProcessRecord(String name, Role role, long pid, Instant processStart, String ports, URI health, Path logFile) {

        /** The live process this record describes, if it still runs (and is the same process, not a reused pid). */
        public Optional<ProcessHandle> liveHandle() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> processStart == null
                    || handle.info().startInstant().map(start -> Math.abs(start.toEpochMilli() - processStart.toEpochMilli()) < 2_000)
                    .orElse(true));
        }
    }

    public record RunState(Instant startedAt, boolean detached, String gatewayUrl, String configServerUrl, String registryUrl,
                           List<ProcessRecord> processes) {
        public RunState {
            processes = List.copyOf(processes);
        }

        public boolean anyAlive() {
            return processes.stream().anyMatch(record -> record.liveHandle().isPresent());
        }
    }

    private StateFile() {
    }

    public static Path in(Path runDir) {
        return runDir.resolve(FILE_NAME);
    }

    public static RunState of(RunningTopology running, boolean detached) {
        List<ProcessRecord> records = new ArrayList<>();
        for (RunningProcess process : running.processes()) {
            records.add(new ProcessRecord(process.name(), process.spec().role(), process.pid(),
                    process.handle().info().startInstant().orElse(null),
                    process.spec().ports().stream().map(claim -> String.valueOf(claim.port()))
                            .reduce((first, second) -> first + "," + second).orElse(""),
                    process.spec().healthUrls().get(0), process.logFile()));
        }
        return new RunState(running.startedAt(), detached, running.gatewayUrl(), running.configServerUrl(),
                running.registryUrl(), records);
    }

    /** Writes atomically (a temporary file renamed over the old one): a reader never sees half a file. */
    public static void write(Path file, RunState state) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("started-at", state.startedAt().toString());
        properties.setProperty("detached", String.valueOf(state.detached()));
        properties.setProperty("gateway.url", state.gatewayUrl());
        properties.setProperty("config-server.url", state.configServerUrl());
        properties.setProperty("registry.url", state.registryUrl());
        properties.setProperty("process.count", String.valueOf(state.processes().size()));
        for (int i = 0; i < state.processes().size(); i++) {
            ProcessRecord record = state.processes().get(i);
            String prefix = "process." + i + ".";
            properties.setProperty(prefix + "name", record.name());
            properties.setProperty(prefix + "role", record.role().name());
            properties.setProperty(prefix + "pid", String.valueOf(record.pid()));
            if (record.processStart() != null) {
                properties.setProperty(prefix + "process-start", record.processStart().toString());
            }
            properties.setProperty(prefix + "ports", record.ports());
            properties.setProperty(prefix + "health", record.health().toString());
            properties.setProperty(prefix + "log", record.logFile().toString());
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "processes started by ./mesh up; read by ./mesh status and ./mesh down");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The recorded state, or empty when there is no state file. */
    public static Optional<RunState> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        try {
            int count = Integer.parseInt(required(properties, "process.count", file));
            List<ProcessRecord> records = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String prefix = "process." + i + ".";
                String processStart = properties.getProperty(prefix + "process-start");
                records.add(new ProcessRecord(
                        required(properties, prefix + "name", file),
                        Role.valueOf(required(properties, prefix + "role", file)),
                        Long.parseLong(required(properties, prefix + "pid", file)),
                        processStart == null ? null : Instant.parse(processStart),
                        properties.getProperty(prefix + "ports", ""),
                        URI.create(required(properties, prefix + "health", file)),
                        Path.of(required(properties, prefix + "log", file))));
            }
            return Optional.of(new RunState(
                    Instant.parse(required(properties, "started-at", file)),
                    Boolean.parseBoolean(properties.getProperty("detached", "false")),
                    required(properties, "gateway.url", file),
                    required(properties, "config-server.url", file),
                    required(properties, "registry.url", file),
                    records));
        } catch (RuntimeException e) {
            throw new LaunchException("the state file " + file + " is damaged (" + e.getMessage()
                    + "): stop the processes by hand if any still run, then delete it", e);
        }
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }
}
