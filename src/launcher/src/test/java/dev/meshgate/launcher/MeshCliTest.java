package dev.meshgate.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line against stand-in jars: up --detach, status, a second up, down, port conflicts. */
class MeshCliTest {

    @TempDir
    Path home;

    private Path runDir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private List<String> portFlags;

    @BeforeEach
    void freePorts() {
        ChildProcesses.installFakeJars(home);
        runDir = home.resolve("run");
        List<Integer> control = LoopbackPorts.free(3);
        int nodeBase = LoopbackPorts.freeBase(0, 1, 6, 100, 101, 106, 200, 201, 206, 300, 301, 306);
        int appBase = LoopbackPorts.freeBase(1, 101, 102, 201);
        portFlags = List.of("--gateway-port=" + control.get(0), "--config-port=" + control.get(1),
                "--registry-port=" + control.get(2), "--node-port-base=" + nodeBase, "--app-port-base=" + appBase);
    }

    @AfterEach
    void stopAnythingLeft() throws Exception {
        Optional<StateFile.RunState> state = StateFile.read(StateFile.in(runDir));
        state.ifPresent(running -> running.processes().forEach(record -> record.liveHandle().ifPresent(ProcessHandle::destroyForcibly)));
    }

    private int mesh(String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString(), "--run-dir", runDir.toString()));
        return new MeshCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Path.of("/nonexistent")).run(all.toArray(String[]::new));
    }

    private int up(String... extra) {
        List<String> args = new ArrayList<>(List.of("up", "--detach", "--timeout=60", "--jvm-option=-XX:TieredStopAtLevel=1"));
        args.addAll(portFlags);
        args.addAll(List.of(extra));
        return mesh(args.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void upDetachedThenStatusThenDown() throws Exception {
        assertThat(up()).as(err()).isEqualTo(MeshCli.EXIT_OK);
        String gateway = portFlags.get(0).substring("--gateway-port=".length());
        assertThat(out()).contains("meshgate is up", "gateway                http://127.0.0.1:" + gateway,
                "mesh-node search-2", "curl -s 'http://127.0.0.1:" + gateway + "/planner/plan?task=demo'",
                "running in the background");
        StateFile.RunState state = StateFile.read(StateFile.in(runDir)).orElseThrow();
        assertThat(state.detached()).isTrue();
        assertThat(state.processes()).hasSize(8).allSatisfy(record -> assertThat(record.liveHandle()).isPresent());

        assertThat(mesh("status")).as(out()).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out()).contains("(detached)", "gateway", "alive", "UP (http://127.0.0.1:" + gateway + "/actuator/health)")
                .doesNotContain("exited");

        assertThat(up()).isEqualTo(MeshCli.EXIT_FAILED);
        assertThat(err()).startsWith("mesh: a topology is already running (started ").contains("with up --detach")
                .endsWith("See it with ./mesh status; stop it with ./mesh down" + System.lineSeparator());

        assertThat(mesh("down")).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out()).startsWith("stopping 8 processes...").contains("stopped config-server, registry, samples");
        assertThat(state.processes()).allSatisfy(record -> assertThat(ProcessHandle.of(record.pid())
                .map(ProcessHandle::isAlive).orElse(false)).isFalse());
        assertThat(StateFile.in(runDir)).doesNotExist();

        assertThat(mesh("down")).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out()).startsWith("nothing is running");
        assertThat(mesh("status")).isEqualTo(MeshCli.EXIT_NOT_RUNNING);
        assertThat(out()).startsWith("nothing is running");
    }

    @Test
    void aTakenPortIsOneClearMessageAndANonZeroExit() throws Exception {
        int gateway = Integer.parseInt(portFlags.get(0).substring("--gateway-port=".length()));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway));
            assertThat(up()).isEqualTo(MeshCli.EXIT_FAILED);
        }
        assertThat(err()).isEqualTo("mesh: port " + gateway + " (gateway) is already in use: stop what holds it or choose "
                + "another port with --gateway-port" + System.lineSeparator());
        assertThat(StateFile.in(runDir)).doesNotExist();
    }

    @Test
    void helpAndUnknownCommands() {
        assertThat(mesh("help")).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out()).startsWith("usage: ./mesh <command> [options]").contains("up --detach", "--node-port-base N");
        assertThat(out()).contains("bench [--quick]");
        assertThat(mesh("benchmark")).isEqualTo(MeshCli.EXIT_USAGE);
        assertThat(err()).startsWith("mesh: unknown command 'benchmark'").contains("usage: ./mesh");
        assertThat(mesh("bench")).isEqualTo(MeshCli.EXIT_USAGE);
        assertThat(err()).startsWith("mesh: bench runs from the repository root as ./mesh bench");
        assertThat(mesh("up", "--gateway-port", "x")).isEqualTo(MeshCli.EXIT_USAGE);
        assertThat(err()).startsWith("mesh: --gateway-port must be a port number between 1 and 65535, was 'x'");
    }

    @Test
    void classArchiveWithoutAnArchivableJarIsOneClearMessage() throws Exception {
        // the stand-in node jar is a plain jar: nothing to extract, so no archive, and no training node started
        assertThat(mesh("class-archive")).isEqualTo(MeshCli.EXIT_FAILED);
        assertThat(err()).startsWith("mesh: no class archive: mesh-node class archive skipped: ")
                .contains("mesh-node.jar is not a Spring Boot jar to extract");

        java.nio.file.Files.delete(home.resolve(Topology.NODE_JAR));
        assertThat(mesh("class-archive")).isEqualTo(MeshCli.EXIT_FAILED);
        assertThat(err()).isEqualTo("mesh: no mesh-node jar at " + home.resolve(Topology.NODE_JAR)
                + ": build it first (./mvnw -B -q -DskipTests package)" + System.lineSeparator());

        assertThat(mesh("class-archive", "--node-jar", home.resolve("fake-component.jar").toString(),
                "--jvm-options", home.resolve("missing.options").toString())).isEqualTo(MeshCli.EXIT_FAILED);
        assertThat(err()).isEqualTo("mesh: no JVM options file at " + home.resolve("missing.options") + System.lineSeparator());
        assertThat(mesh("status", "--args-file", "x")).isEqualTo(MeshCli.EXIT_USAGE);
        assertThat(err()).startsWith("mesh: --node-jar, --archive-dir, --jvm-options and --args-file belong to 'class-archive'");
    }
}
