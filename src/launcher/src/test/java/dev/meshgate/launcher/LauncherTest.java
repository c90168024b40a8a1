package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher against stand-in jars ({@link FakeComponent}) that start in a fraction of a second. */
class LauncherTest {

    @TempDir
    Path home;

    private Topology.Builder fakeTopology() {
        ChildProcesses.installFakeJars(home);
        // the stand-in jars are no Spring Boot jars to extract and archive (NodeClassArchiveTest covers that)
        return Topology.builder(home).freePorts().startTimeout(Duration.ofSeconds(60)).classArchive(false)
                .jvmOptions("-XX:TieredStopAtLevel=1");
    }

    @Test
    void startsEveryProcessWaitsUntilReadyAndStopsThemAll() throws Exception {
        Topology topology = fakeTopology().build();
        List<RunningProcess> processes;
        try (RunningTopology running = topology.start()) {
            processes = running.processes();
            assertThat(processes).extracting(RunningProcess::name).containsExactlyInAnyOrderElementsOf(
                    topology.processes().stream().map(ProcessSpec::name).toList());
            assertThat(processes).allSatisfy(process -> assertThat(process.isAlive()).isTrue());
            assertThat(running.startupTime()).isPositive();
            assertThat(running.gatewayUrl()).isEqualTo("http://127.0.0.1:" + topology.gatewayPort());
            assertThat(running.node("search-2").inboundPort()).isEqualTo(topology.node("search-2").inboundPort());
            Path gatewayLog = running.logFiles().get("gateway");
            assertThat(gatewayLog).isEqualTo(home.resolve(".mesh/logs/gateway.log"));
            // each run starts copies of the jars, so a rebuild cannot pull a jar from under a running process
            assertThat(Files.readAllLines(gatewayLog).get(0)).startsWith("# ")
                    .contains("-jar " + home.resolve(".mesh/jars/gateway.jar"), "--server.port=");
            assertThat(home.resolve(".mesh/jars/mesh-node.jar")).hasSameBinaryContentAs(home.resolve("mesh-node/target/mesh-node.jar"));
        }
        assertThat(processes).allSatisfy(process -> assertThat(process.isAlive()).isFalse());
        assertThat(topology.portClaims()).allSatisfy(claim -> assertThat(LoopbackPorts.isFree(claim.port())).isTrue());
    }

    @Test
    void aProcessThatExitsFailsTheStartAtOnceWithTheEndOfItsLog() {
        Topology topology = fakeTopology().jvmOptionsFor("config-server", "-Dfake.exit-code=3").build();

        assertThatThrownBy(topology::start)
                .isInstanceOf(LaunchException.class)
                .hasMessageStartingWith("config-server exited with code 3 before the topology was ready; last 30 lines of "
                        + home.resolve(".mesh/logs/config-server.log") + ":")
                .hasMessageContaining("fake log line 11" + System.lineSeparator())
                .hasMessageEndingWith("fake log line 40")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("fake log line 10" + System.lineSeparator()));
        // the registry started in the same wave was stopped again
        assertThat(LoopbackPorts.isFree(topology.registryPort())).isTrue();
    }

    @Test
    void aPartThatNeverBecomesHealthyIsNamedWhenTheStartTimesOut() {
        Topology topology = fakeTopology().startTimeout(Duration.ofSeconds(15))
                .jvmOptionsFor("gateway", "-Dfake.status=503").build();

        assertThatThrownBy(topology::start)
                .isInstanceOf(LaunchException.class)
                .hasMessageStartingWith("the topology was not ready within 15 s: not healthy yet: gateway (GET http://127.0.0.1:"
                        + topology.gatewayPort() + "/actuator/health answered 503: {\"status\":\"UP\"}; log ")
                .hasMessageEndingWith("A slow machine may need a longer --timeout");
        assertThat(LoopbackPorts.isFree(topology.gatewayPort())).isTrue();
    }

    @Test
    void aTakenPortStopsTheStartBeforeAnyProcessRuns() throws Exception {
        Topology topology = fakeTopology().build();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), topology.node("calc-1").inboundPort()));

            assertThatThrownBy(topology::start).isInstanceOf(LaunchException.class)
                    .hasMessage("port " + topology.node("calc-1").inboundPort() + " (mesh-node calc-1 inbound) is already in use: "
                            + "stop what holds it or choose another port with --node-port-base");
        }
        assertThat(topology.logDir()).doesNotExist();
    }

    @Test
    void missingJarsAreListedWithHowToBuildThem() {
        Topology topology = Topology.builder(home).freePorts().build();
        assertThatThrownBy(topology::start).isInstanceOf(LaunchException.class)
                .hasMessage("not built yet: config-server/target/config-server.jar, registry/target/registry.jar, "
                        + "src/samples/target/samples.jar, mesh-node/target/mesh-node.jar, gateway/target/gateway.jar. "
                        + "Build with ./mvnw -B -DskipTests package (./mesh builds by itself when a jar is missing)");
    }
}
