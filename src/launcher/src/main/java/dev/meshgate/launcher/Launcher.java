package dev.meshgate.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Starts a {@link Topology}: checks jars and ports before anything runs, starts the processes wave by
 * wave, waits for each to be healthy, for the registry to list every node and for a request through
 * the gateway to succeed. Any failure stops what was started and says which part is not ready.
 */
final class Launcher {

    static final int LOG_TAIL_LINES = 30;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    /** A first recording takes 15-25 s on a busy 2-core machine, mostly while the control plane starts. */
    private static final Duration CLASS_ARCHIVE_WAIT = Duration.ofSeconds(60);

    private final Topology topology;
    private final HttpProbe probe = new HttpProbe();

    Launcher(Topology topology) {
        this.topology = topology;
    }

    RunningTopology start() {
        requireJars();
        LoopbackPorts.requireFree(topology.portClaims());
        try {
            Files.createDirectories(topology.logDir());
        } catch (IOException e) {
            throw new LaunchException("cannot create the log directory " + topology.logDir() + ": " + e.getMessage(), e);
        }
        copyJars();
        Instant startedAt = Instant.now();
        Instant deadline = startedAt.plus(topology.startTimeout());
        // recorded (the first time) while the control plane starts: the nodes start after it anyway
        CompletableFuture<Optional<NodeClassArchive.Prepared>> classArchive = prepareClassArchive();
        RunningTopology running = new RunningTopology(topology, startedAt);
        try {
            for (List<ProcessSpec> wave : topology.waves()) {
                List<RunningProcess> started = new ArrayList<>();
                for (ProcessSpec spec : wave) {
                    if (spec.role() == Role.MESH_NODE) {
                        Optional<NodeClassArchive.Prepared> archive = awaitClassArchive(classArchive, deadline);
                        started.add(archive.isPresent()
                                ? running.launch(spec.withJvmOptionFirst(archive.get().archiveOption()), archive.get().extractedJar())
                                : running.launch(spec));
                    } else {
                        started.add(running.launch(spec));
                    }
                }
                awaitHealthy(started, deadline);
            }
            awaitRegistered(running, deadline);
            awaitGateway(running, deadline);
            running.markReady(Duration.between(startedAt, Instant.now()));
            return running;
        } catch (RuntimeException | Error e) {
            classArchive.cancel(true);
            running.close();
            throw e;
        }
    }

    private CompletableFuture<Optional<NodeClassArchive.Prepared>> prepareClassArchive() {
        Optional<ProcessSpec> node = topology.processes().stream().filter(spec -> spec.role() == Role.MESH_NODE).findFirst();
        if (!topology.classArchive() || node.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Path log = topology.logDir().resolve("mesh-node-class-archive.log");
        NodeClassArchive archive = new NodeClassArchive(topology.javaExecutable(), topology.runnableJar(node.get()),
                topology.classArchiveDir(), NodeJvmOptions.read(topology.home()), log, line -> appendLine(log, line));
        return CompletableFuture.supplyAsync(archive::prepare);
    }

    /**
     * The archive, or none when recording it takes longer than {@link #CLASS_ARCHIVE_WAIT} (or than
     * the start deadline allows): the nodes then start without it, and a finished recording serves
     * the next start.
     */
    private static Optional<NodeClassArchive.Prepared> awaitClassArchive(
            CompletableFuture<Optional<NodeClassArchive.Prepared>> archive, Instant deadline) {
        Duration untilDeadline = Duration.between(Instant.now(), deadline).dividedBy(2);
        Duration wait = untilDeadline.compareTo(CLASS_ARCHIVE_WAIT) < 0 ? untilDeadline : CLASS_ARCHIVE_WAIT;
        try {
            return archive.get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the report is a convenience: the nodes start either way
        }
    }

    private void requireJars() {
        List<ProcessSpec> missing = topology.missingJars();
        if (!missing.isEmpty()) {
            String list = missing.stream().map(spec -> topology.home().relativize(spec.jar()).toString())
                    .distinct().collect(Collectors.joining(", "));
            throw new LaunchException("not built yet: " + list + ". Build with ./mvnw -B -DskipTests package "
                    + "(./mesh builds by itself when a jar is missing)");
        }
    }

    private void copyJars() {
        if (topology.jarCopyDir() == null) {
            return;
        }
        Set<Path> copied = new LinkedHashSet<>();
        for (ProcessSpec spec : topology.processes()) {
            Path copy = topology.runnableJar(spec);
            if (!copied.add(copy)) {
                continue;
            }
            try {
                Files.createDirectories(copy.getParent());
                // copied beside, then renamed: a half-written copy is never run
                Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
                Files.copy(spec.jar(), partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new LaunchException("cannot copy " + spec.jar() + " to " + copy.getParent() + ": " + e.getMessage(), e);
            }
        }
    }

    private void awaitHealthy(List<RunningProcess> wave, Instant deadline) {
        Set<RunningProcess> pending = new LinkedHashSet<>(wave);
        Map<RunningProcess, String> lastAnswers = new LinkedHashMap<>();
        while (true) {
            for (RunningProcess process : List.copyOf(pending)) {
                failIfExited(process);
                String notReady = firstUnhealthy(process);
                if (notReady == null) {
                    pending.remove(process);
                    lastAnswers.remove(process);
                } else {
                    lastAnswers.put(process, notReady);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                String parts = lastAnswers.entrySet().stream()
                        .map(entry -> entry.getKey().name() + " (" + entry.getValue() + "; log " + entry.getKey().logFile() + ")")
                        .collect(Collectors.joining(", "));
                throw timedOut("not healthy yet: " + parts);
            }
            pauseOrReturnOnExit(pending);
        }
    }

    /** Null when every health URL of the process answers 200, else what the first failing one said. */
    private String firstUnhealthy(RunningProcess process) {
        for (URI health : process.spec().healthUrls()) {
            HttpProbe.Answer answer = probe.get(health);
            if (!answer.ok()) {
                return "GET " + health + " " + answer.describe();
            }
        }
        return null;
    }

    private void awaitRegistered(RunningTopology running, Instant deadline) {
        URI apps = URI.create(topology.registryUrl() + "/eureka/apps");
        Set<String> expected = topology.nodes().stream().map(MeshNode::instanceId).collect(Collectors.toCollection(TreeSet::new));
        String lastProblem;
        while (true) {
            running.processes().forEach(Launcher::failIfExited);
            HttpProbe.Answer answer = probe.get(apps, "application/json");
            if (answer.ok()) {
                Set<String> registered;
                try {
                    registered = upInstances(answer.body());
                } catch (IllegalArgumentException e) {
                    registered = Set.of();
                }
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(registered);
                if (missing.isEmpty()) {
                    return;
                }
                lastProblem = "the registry does not list " + String.join(", ", missing) + " as UP yet (listed: "
                        + (registered.isEmpty() ? "none" : String.join(", ", new TreeSet<>(registered))) + ")";
            } else {
                lastProblem = "GET " + apps + " " + answer.describe();
            }
            if (Instant.now().isAfter(deadline)) {
                throw timedOut(lastProblem + "; see the mesh-node logs in " + topology.logDir());
            }
            pauseOrReturnOnExit(running.processes());
        }
    }

    /** The instance ids the registry lists with status UP, from Eureka's JSON. */
    @SuppressWarnings("unchecked")
    static Set<String> upInstances(String eurekaAppsJson) {
        Set<String> up = new LinkedHashSet<>();
        Object root = MiniJson.parse(eurekaAppsJson);
        if (!(root instanceof Map<?, ?> rootMap) || !(rootMap.get("applications") instanceof Map<?, ?> applications)) {
            return up;
        }
        for (Object application : asList(applications.get("application"))) {
            if (!(application instanceof Map<?, ?> app)) {
                continue;
            }
            for (Object instance : asList(app.get("instance"))) {
                if (instance instanceof Map<?, ?> fields && "UP".equals(fields.get("status"))
                        && fields.get("instanceId") instanceof String id) {
                    up.add(id);
                }
            }
        }
        return up;
    }

    /** Eureka writes a single element as an object rather than a one-element array in some versions. */
    static List<Object> asList(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return value == null ? List.of() : List.of(value);
    }

    private void awaitGateway(RunningTopology running, Instant deadline) {
        URI probeUri = URI.create(topology.gatewayUrl() + Topology.GATEWAY_PROBE_PATH);
        while (true) {
            running.processes().forEach(Launcher::failIfExited);
            HttpProbe.Answer answer = probe.get(probeUri);
            if (answer.ok()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw timedOut("the request through the gateway, GET " + probeUri + ", " + answer.describe()
                        + "; see " + topology.logDir().resolve("gateway.log") + " and the mesh-node logs");
            }
            pauseOrReturnOnExit(running.processes());
        }
    }

    private LaunchException timedOut(String what) {
        return new LaunchException("the topology was not ready within " + topology.startTimeout().toSeconds()
                + " s: " + what + ". A slow machine may need a longer --timeout");
    }

    static void failIfExited(RunningProcess process) {
        if (process.isAlive()) {
            return;
        }
        throw new LaunchException(process.name() + " exited with code " + process.process().exitValue()
                + " before the topology was ready; last " + LOG_TAIL_LINES + " lines of " + process.logFile() + ":"
                + System.lineSeparator() + process.logTail(LOG_TAIL_LINES));
    }

    /** Waits one poll interval, or less when one of the processes exits meanwhile (so it is reported at once). */
    private static void pauseOrReturnOnExit(Collection<RunningProcess> processes) {
        CompletableFuture<?>[] exits = processes.stream().map(process -> process.process().onExit())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.anyOf(exits).get(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // the usual case: nobody exited during the interval
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for the topology to start");
        }
    }

    /** Writes the command line at the top of the log, so a failed start can be reproduced by hand. */
    static void writeLogHeader(Path logFile, List<String> command) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "# " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
