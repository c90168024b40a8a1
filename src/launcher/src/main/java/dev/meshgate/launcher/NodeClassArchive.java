package dev.meshgate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A class archive that lets mesh-nodes skip most class loading and linking at start-up: on JDK 25
 * and later an AOT cache ({@code -XX:AOTCache}), on earlier JDKs a dynamic AppCDS archive
 * ({@code -XX:SharedArchiveFile}). Both need the jar extracted (classes in nested jars cannot be
 * archived), so the nodes then run the extracted jar.
 *
 * <p>The first start for a given node jar and JDK records the archive with a training run of one
 * node (started, made ready, asked for its metrics, stopped) into
 * {@code <cache>/mesh-node-<jar checksum>-jdk<version>/}. Later starts reuse it. Anything that goes
 * wrong yields no archive: the nodes then start as they always did, from the jar, never failing the
 * launch over it.
 *
 * <p>Public so that the benchmark measures node start-up with the archive exactly as it is made here.
 */
public final class NodeClassArchive {

    /** The extracted jar to run and the option that maps the archive. */
    public record Prepared(Path extractedJar, String archiveOption) {
    }

    /** A training node and where it listens. */
    private record Training(Process process, URI admin, URI inbound) {
    }

    private static final Duration EXTRACT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRAINING_READY_TIMEOUT = Duration.ofSeconds(120);
    /** Writing the archive at exit takes about 10 s on a busy 2-core machine. */
    private static final Duration TRAINING_EXIT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final String DIR_PREFIX = "mesh-node-";

    private final Path java;
    private final Path nodeJar;
    private final Path cacheDir;
    private final List<String> nodeJvmOptions;
    private final Path logFile;
    private final Consumer<String> report;
    private final HttpProbe probe = new HttpProbe();

    public NodeClassArchive(Path java, Path nodeJar, Path cacheDir, List<String> nodeJvmOptions, Path logFile, Consumer<String> report) {
        this.java = java;
        this.nodeJar = nodeJar;
        this.cacheDir = cacheDir;
        this.nodeJvmOptions = List.copyOf(nodeJvmOptions);
        this.logFile = logFile;
        this.report = report;
    }

    /** The archive for this jar and JDK, recorded now if there is none yet; empty when it cannot be had. */
    public Optional<Prepared> prepare() {
        Training training = null;
        try {
            Optional<String> jdkVersion = jdkVersion(java);
            if (jdkVersion.isEmpty()) {
                report.accept("mesh-node class archive skipped: cannot tell the JDK version of " + java);
                return Optional.empty();
            }
            if (!isSpringBootJar(nodeJar)) {
                report.accept("mesh-node class archive skipped: " + nodeJar + " is not a Spring Boot jar to extract");
                return Optional.empty();
            }
            int feature = feature(jdkVersion.get());
            boolean aotCache = feature >= 25;
            Path dir = cacheDir.resolve(DIR_PREFIX + checksum(nodeJar) + "-jdk" + jdkVersion.get());
            Path extracted = dir.resolve("app").resolve(nodeJar.getFileName());
            Path archive = dir.resolve(aotCache ? "mesh-node.aot" : "mesh-node.jsa");
            String archiveOption = (aotCache ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive;
            if (Files.isRegularFile(extracted) && Files.isRegularFile(archive)) {
                return Optional.of(new Prepared(extracted, archiveOption));
            }
            Files.createDirectories(dir);
            removeOtherArchives(dir);
            Instant started = Instant.now();
            extract(dir, extracted);
            Path partial = dir.resolve("training-" + ProcessHandle.current().pid() + (aotCache ? ".aot" : ".jsa"));
            String recordOption = (aotCache ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + partial;
            training = startTraining(extracted, recordOption);
            train(training);
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            report.accept(String.format("mesh-node class archive recorded in %.1f s: %s",
                    Duration.between(started, Instant.now()).toMillis() / 1000.0, archive));
            return Optional.of(new Prepared(extracted, archiveOption));
        } catch (IOException | RuntimeException e) {
            report.accept("mesh-node class archive skipped (nodes start without it): " + e.getMessage()
                    + "; see " + logFile);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (training != null && training.process().isAlive()) {
                training.process().destroyForcibly();
            }
        }
    }

    /** The JDK's version from its {@code release} file, e.g. {@code 17.0.15}; empty when there is none. */
    public static Optional<String> jdkVersion(Path javaExecutable) throws IOException {
        Path home = javaExecutable.toAbsolutePath().getParent().getParent();
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                return version.matches("[0-9][0-9A-Za-z.+_-]*") ? Optional.of(version) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    static boolean isSpringBootJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Spring-Boot-Version") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The feature release of a version string: 17 for {@code 17.0.15}, 25 for {@code 25}. */
    static int feature(String version) {
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return Integer.parseInt(version.substring(0, end));
    }

    static String checksum(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // the digest stream sees every byte
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Archives of older jars or other JDKs are never used again: drop them. */
    private void removeOtherArchives(Path keep) throws IOException {
        try (Stream<Path> entries = Files.list(cacheDir)) {
            for (Path other : entries.filter(path -> path.getFileName().toString().startsWith(DIR_PREFIX))
                    .filter(path -> !path.equals(keep)).toList()) {
                deleteTree(other);
            }
        }
    }

    private void extract(Path dir, Path extracted) throws IOException, InterruptedException {
        Path partial = dir.resolve("app.partial");
        deleteTree(partial);
        deleteTree(extracted.getParent());
        run(List.of(java.toString(), "-Djarmode=tools", "-jar", nodeJar.toString(), "extract", "--destination", partial.toString()),
                EXTRACT_TIMEOUT, "extracting " + nodeJar.getFileName());
        Files.move(partial, extracted.getParent(), StandardCopyOption.ATOMIC_MOVE);
        if (!Files.isRegularFile(extracted)) {
            throw new IOException("extracting " + nodeJar + " left no " + extracted);
        }
    }

    private Training startTraining(Path extracted, String recordOption) throws IOException {
        List<Integer> ports = LoopbackPorts.free(5);
        int admin = ports.get(0);
        int outbound = ports.get(1);
        int inbound = ports.get(2);
        int app = ports.get(3);
        // nothing listens there: the node runs on its built-in defaults, as a node started before
        // the control plane does, and loads the same classes
        int controlPlane = ports.get(4);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(nodeJvmOptions);
        command.add(recordOption);
        command.addAll(List.of("-jar", extracted.toString(),
                "--server.address=127.0.0.1", "--server.port=" + admin,
                "--mesh.node.service=class-archive-training", "--mesh.node.instance-id=class-archive-training",
                "--mesh.node.advertised-host=127.0.0.1",
                "--mesh.listeners.outbound.port=" + outbound, "--mesh.listeners.inbound.port=" + inbound,
                "--mesh.app.port=" + app,
                // the app probe runs (its classes belong in the archive) but never unreadies the node
                "--mesh.app.health.unhealthy-threshold=1000000",
                "--mesh.registry.url=http://127.0.0.1:" + controlPlane + "/eureka",
                "--mesh.config-server.url=http://127.0.0.1:" + controlPlane));
        Process process = start(command);
        return new Training(process, URI.create("http://127.0.0.1:" + admin), URI.create("http://127.0.0.1:" + inbound));
    }

    /** Ready, the endpoints a running node serves exercised once, then a graceful stop that writes the archive. */
    private void train(Training node) throws IOException, InterruptedException {
        Process training = node.process();
        URI readiness = node.admin().resolve("/actuator/health/readiness");
        Instant deadline = Instant.now().plus(TRAINING_READY_TIMEOUT);
        while (!probe.get(readiness).ok()) {
            if (!training.isAlive()) {
                throw new IOException("the training node exited with status " + training.exitValue() + " before it was ready");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("the training node was not ready within " + TRAINING_READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        probe.get(node.admin().resolve("/actuator/health"));
        probe.get(node.admin().resolve("/actuator/prometheus"));
        // the workload is not there: the proxy's error path is exercised, which a node also needs
        probe.get(node.inbound().resolve("/"));
        training.destroy();
        if (!training.waitFor(TRAINING_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("the training node did not finish writing its archive within "
                    + TRAINING_EXIT_TIMEOUT.toSeconds() + " s");
        }
    }

    private void run(List<String> command, Duration timeout, String what) throws IOException, InterruptedException {
        Process process = start(command);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(what + " took longer than " + timeout.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(what + " failed with status " + process.exitValue());
        }
    }

    /** Output appended to the one log of this archive's steps, each command as a header line. */
    private Process start(List<String> command) throws IOException {
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, "# " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        process.getOutputStream().close();
        return process;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
