package dev.meshgate.e2e;

import dev.meshgate.launcher.LoopbackPorts;
import dev.meshgate.launcher.MeshCli;
import dev.meshgate.launcher.StateFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./mesh} as an operator uses it, on the real jars: up --detach, status, a second up, down, a taken port. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshCliIT {

    private static Path runDir;
    private static List<String> portFlags;
    private static int gatewayPort;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void choosePorts() throws Exception {
        runDir = MeshTopologyExtension.logRoot().resolve("MeshCliIT");
        if (Files.isDirectory(runDir)) {
            try (Stream<Path> old = Files.walk(runDir)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        List<Integer> control = LoopbackPorts.free(3);
        gatewayPort = control.get(0);
        int nodeBase = LoopbackPorts.freeBase(0, 1, 6, 100, 101, 106, 200, 201, 206, 300, 301, 306);
        int appBase = LoopbackPorts.freeBase(1, 101, 102, 201);
        portFlags = List.of("--gateway-port=" + gatewayPort, "--config-port=" + control.get(1),
                "--registry-port=" + control.get(2), "--node-port-base=" + nodeBase, "--app-port-base=" + appBase);
    }

    /** Whatever happened, nothing this class started outlives it; then the logs are checked for leaks. */
    @AfterAll
    static void stopEverything() throws Exception {
        Optional<StateFile.RunState> state = StateFile.read(StateFile.in(runDir));
        if (state.isPresent()) {
            new MeshCli(System.out, System.err, MeshTopologyExtension.home()).run("down", "--run-dir", runDir.toString());
        }
        Map<String, Path> logs = new LinkedHashMap<>();
        Path logDir = runDir.resolve("logs");
        if (Files.isDirectory(logDir)) {
            try (Stream<Path> files = Files.list(logDir)) {
                files.forEach(file -> logs.put(file.getFileName().toString().replace(".log", ""), file));
            }
        }
        List<String> leaks = MeshTopologyExtension.leakReports(logs);
        assertThat(leaks).as("Netty leak reports in the process logs").isEmpty();
    }

    private int mesh(String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--run-dir", runDir.toString()));
        return new MeshCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                MeshTopologyExtension.home()).run(all.toArray(String[]::new));
    }

    private int upDetached() {
        List<String> args = new ArrayList<>(List.of("up", "--detach"));
        args.addAll(portFlags);
        MeshTopologyExtension.LEAK_DETECTION.forEach(option -> args.add("--jvm-option=" + option));
        return mesh(args.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void aTakenPortStopsUpWithOneClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), gatewayPort));

            assertThat(upDetached()).isEqualTo(MeshCli.EXIT_FAILED);
        }
        assertThat(err()).isEqualTo("mesh: port " + gatewayPort + " (gateway) is already in use: stop what holds it or "
                + "choose another port with --gateway-port" + System.lineSeparator());
        assertThat(StateFile.in(runDir)).doesNotExist();
    }

    @Test
    @Order(2)
    void upDetachedServesTheDemoThenStatusAndDownManageIt() throws Exception {
        assertThat(upDetached()).as(err()).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out()).contains("meshgate is up", "http://127.0.0.1:" + gatewayPort, "running in the background");
        System.out.println(out());

        HttpResponse<String> demo = Http.get("http://127.0.0.1:" + gatewayPort + "/planner/plan?task=demo");
        assertThat(demo.statusCode()).as(demo.body()).isEqualTo(200);

        assertThat(mesh("status")).as(out()).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out()).contains("(detached)", "mesh-node-planner-1", "gateway").doesNotContain("exited", "DOWN");

        assertThat(upDetached()).isEqualTo(MeshCli.EXIT_FAILED);
        assertThat(err()).startsWith("mesh: a topology is already running").contains("./mesh down");

        StateFile.RunState state = StateFile.read(StateFile.in(runDir)).orElseThrow();
        assertThat(mesh("down")).isEqualTo(MeshCli.EXIT_OK);
        assertThat(out()).contains("stopped config-server, registry, samples");
        assertThat(state.processes()).allSatisfy(record -> assertThat(record.liveHandle()).as(record.name()).isEmpty());
        assertThat(StateFile.in(runDir)).doesNotExist();

        assertThat(mesh("status")).isEqualTo(MeshCli.EXIT_NOT_RUNNING);
        assertThat(out()).startsWith("nothing is running");
    }
}
