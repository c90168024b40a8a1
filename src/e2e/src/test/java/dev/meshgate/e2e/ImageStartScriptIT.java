package dev.meshgate.e2e;

import dev.meshgate.launcher.LoopbackPorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code src/docker/prepare-start.sh}, the step every image runs when it is built, on this machine's
 * JVM and the real jars laid out as in an image: it writes the argument file the image's entry point
 * ({@code java @/app/java.args}) runs, with a class archive when one can be recorded.
 */
class ImageStartScriptIT {

    private static final Path SCRIPT = MeshTopologyExtension.home().resolve("src/docker/prepare-start.sh");
    private static final Path ROOT = MeshTopologyExtension.logRoot().resolve("ImageStartScriptIT");

    @Test
    void aGatewayImageStartsFromTheArchiveItsTrainingRunRecorded() throws Exception {
        Path app = image("gateway", MeshTopologyExtension.home().resolve("gateway/target/gateway.jar"));
        assertThat(prepare(app, tools("gateway"))).isZero();
        List<String> arguments = Files.readAllLines(app.resolve("java.args"));
        assertThat(arguments).containsExactly("-XX:SharedArchiveFile=" + app.resolve("app.jsa"), "-jar",
                app.resolve("extracted/app.jar").toString());

        List<Integer> ports = LoopbackPorts.free(2);
        Path classLog = app.resolve("class-load.log");
        Path log = app.resolve("gateway.log");
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(MeshTopologyExtension.LEAK_DETECTION);
        command.add("-Xlog:class+load=info:file=" + classLog);
        command.add("@" + app.resolve("java.args"));
        command.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + ports.get(0),
                "--mesh.config-server.url=http://127.0.0.1:" + ports.get(1),
                "--eureka.client.service-url.defaultZone=http://127.0.0.1:" + ports.get(1) + "/eureka"));
        Process gateway = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            TestProcesses.awaitOk(gateway, URI.create("http://127.0.0.1:" + ports.get(0) + "/actuator/health"),
                    Duration.ofSeconds(90), log);
        } finally {
            TestProcesses.stop(gateway);
        }
        assertThat(Files.readAllLines(classLog)).as("the gateway's own classes come from the archive")
                .anyMatch(line -> line.contains("dev.meshgate.gateway.") && line.contains("source: shared objects file"));
        assertThat(MeshTopologyExtension.leakReports(Map.of("gateway", log))).isEmpty();
    }

    @Test
    void aMeshNodeImageRecordsItsArchiveThroughTheLauncher() throws Exception {
        Path app = image("mesh-node", MeshTopologyExtension.home().resolve("mesh-node/target/mesh-node.jar"));
        Files.copy(MeshTopologyExtension.home().resolve("mesh-node/jvm.options"), app.resolve("jvm.options"),
                StandardCopyOption.REPLACE_EXISTING);
        Path tools = tools("mesh-node");
        Files.copy(MeshTopologyExtension.home().resolve("src/launcher/target/launcher.jar"), tools.resolve("launcher.jar"));
        assertThat(prepare(app, tools)).isZero();
        List<String> arguments = Files.readAllLines(app.resolve("java.args"));
        assertThat(arguments).contains("-Xmx48m", "-jar")
                .anyMatch(line -> line.startsWith("-XX:SharedArchiveFile=" + app.resolve("class-archive"))
                        || line.startsWith("-XX:AOTCache=" + app.resolve("class-archive")));
        assertThat(arguments.get(arguments.size() - 1)).startsWith(app.resolve("class-archive").toString()).endsWith("app.jar");
        // ClassArchiveCommandIT starts a node from such a file
    }

    @Test
    void theConfigServerTrainsWithItsOwnArgumentsAndWithoutThemRunsPlain() throws Exception {
        Path jar = MeshTopologyExtension.home().resolve("config-server/target/config-server.jar");
        Path app = image("config-server", jar);
        Path tools = tools("config-server");
        Files.copy(MeshTopologyExtension.home().resolve("config-server/class-archive-training.args"), tools.resolve("training.args"));
        assertThat(prepare(app, tools)).isZero();
        assertThat(Files.readAllLines(app.resolve("java.args"))).containsExactly("-XX:SharedArchiveFile=" + app.resolve("app.jsa"),
                "-jar", app.resolve("extracted/app.jar").toString());

        // without them its training run stops at once (no repository): the image keeps the plain jar
        Path untrained = image("config-server-untrained", jar);
        Files.writeString(untrained.resolve("jvm.options"), "-Xmx128m\n");
        assertThat(prepare(untrained, tools("config-server-untrained"))).isZero();
        assertThat(Files.readAllLines(untrained.resolve("java.args")))
                .containsExactly("-Xmx128m", "-jar", untrained.resolve("app.jar").toString());
        assertThat(untrained.resolve("extracted")).doesNotExist();
        assertThat(untrained.resolve("app.jsa")).doesNotExist();
    }

    /** An image's /app: the module's jar as app.jar and its (here empty) JVM options. */
    private static Path image(String module, Path jar) throws IOException {
        Path app = ROOT.resolve(module).resolve("app");
        TestProcesses.deleteTree(app.getParent());
        Files.createDirectories(app);
        Files.copy(jar, app.resolve("app.jar"));
        Files.writeString(app.resolve("jvm.options"), "");
        return app;
    }

    /** The build's tools directory for the image (empty until a test puts the launcher or training arguments there). */
    private static Path tools(String module) throws IOException {
        return Files.createDirectories(ROOT.resolve(module).resolve("tools"));
    }

    /** Runs the script as the image does (sh, the JVM on the PATH being this one), its output into the app's directory. */
    private static int prepare(Path app, Path tools) throws Exception {
        List<String> command = List.of("sh", SCRIPT.toString(), app.toString(), tools.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(app.resolve("prepare-start.log").toFile());
        builder.environment().put("PATH", Path.of(java()).getParent() + ":" + System.getenv("PATH"));
        Process script = builder.start();
        try {
            assertThat(script.waitFor(300, TimeUnit.SECONDS)).as("the script finished; see %s", app.resolve("prepare-start.log")).isTrue();
            return script.exitValue();
        } finally {
            TestProcesses.stop(script);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
