package dev.meshgate.e2e;

import dev.meshgate.launcher.LoopbackPorts;
import dev.meshgate.launcher.MeshCli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mesh class-archive} on the real node jar, as the container image runs it when it is built:
 * it records the archive and writes the argument file the image starts nodes with, and a node started
 * from that file is ready with its classes (the data plane's among them) mapped from the archive.
 */
class ClassArchiveCommandIT {

    @Test
    void recordsAnArchiveThatANodeStartedFromTheArgumentFileUses() throws Exception {
        Path dir = MeshTopologyExtension.logRoot().resolve("ClassArchiveCommandIT");
        TestProcesses.deleteTree(dir);
        Path archiveDir = dir.resolve("class-archive");
        // in a directory that does not exist yet: the command makes it
        Path argsFile = dir.resolve("image").resolve("java.args");
        Files.createDirectories(dir);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new MeshCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                MeshTopologyExtension.home()).run("class-archive", "--archive-dir", archiveDir.toString(), "--args-file", argsFile.toString());
        assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("mesh-node class archive recorded in ")
                .contains("start a node with it: java @" + argsFile);
        List<String> arguments = Files.readAllLines(argsFile);
        assertThat(arguments).contains("-Xmx48m", "-jar").anyMatch(line -> line.startsWith("-XX:SharedArchiveFile=")
                || line.startsWith("-XX:AOTCache="));

        List<Integer> ports = LoopbackPorts.free(5);
        Path classLog = dir.resolve("class-load.log");
        Path nodeLog = dir.resolve("node.log");
        // The argument file as the image uses it, with the tests' leak detection and a class-load log
        // inserted before its -jar (everything after -jar goes to the node, and later options win).
        int jar = arguments.indexOf("-jar");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments.subList(0, jar));
        command.addAll(MeshTopologyExtension.LEAK_DETECTION);
        command.add("-Xlog:class+load=info:file=" + classLog);
        command.addAll(arguments.subList(jar, arguments.size()));
        command.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + ports.get(0),
                "--mesh.listeners.outbound.port=" + ports.get(1), "--mesh.listeners.inbound.port=" + ports.get(2),
                "--mesh.app.port=" + ports.get(3),
                "--mesh.registry.url=http://127.0.0.1:" + ports.get(4) + "/eureka",
                "--mesh.config-server.url=http://127.0.0.1:" + ports.get(4)));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(nodeLog.toFile()).start();
        try {
            TestProcesses.awaitOk(node, URI.create("http://127.0.0.1:" + ports.get(0) + "/actuator/health/readiness"),
                    Duration.ofSeconds(60), nodeLog);
        } finally {
            TestProcesses.stop(node);
        }
        assertThat(Files.readAllLines(classLog))
                .as("the data plane's classes come from the archive")
                .anyMatch(line -> line.contains("dev.meshgate.node.app.ProxyServer source: shared objects file"));
        assertThat(MeshTopologyExtension.leakReports(Map.of("node", nodeLog))).isEmpty();
    }
}
