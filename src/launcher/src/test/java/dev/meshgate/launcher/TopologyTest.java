package dev.meshgate.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    private static final Path HOME = Path.of("/repo");

    @Test
    void theDefaultLayoutMatchesTheArchitectureDocument() {
        Topology topology = Topology.builder(HOME).build();
        assertThat(topology.gatewayUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(topology.configServerUrl()).isEqualTo("http://127.0.0.1:8888");
        assertThat(topology.registryUrl()).isEqualTo("http://127.0.0.1:8761");
        assertThat(topology.nodes()).containsExactly(
                new MeshNode("planner", "planner-1", "v1", "local", 15000, 15001, 15006, 9001),
                new MeshNode("search", "search-1", "v1", "local", 15100, 15101, 15106, 9101),
                new MeshNode("search", "search-2", "v1", "local", 15200, 15201, 15206, 9102),
                new MeshNode("calc", "calc-1", "v1", "local", 15300, 15301, 15306, 9201));
        assertThat(topology.processes()).extracting(ProcessSpec::name).containsExactly("config-server", "registry", "samples",
                "mesh-node-planner-1", "mesh-node-search-1", "mesh-node-search-2", "mesh-node-calc-1", "gateway");
        assertThat(topology.runDir()).isEqualTo(HOME.resolve(".mesh"));
        assertThat(topology.process("gateway").logFile()).isEqualTo(HOME.resolve(".mesh/logs/gateway.log"));
        assertThat(topology.runnableJar(topology.process("mesh-node-calc-1"))).isEqualTo(HOME.resolve(".mesh/jars/mesh-node.jar"));
        assertThat(Topology.builder(HOME).copyJars(false).build().runnableJar(topology.process("gateway")))
                .isEqualTo(HOME.resolve("gateway/target/gateway.jar"));
    }

    @Test
    void aMeshNodeIsToldTheContractProperties() {
        ProcessSpec node = Topology.builder(HOME).build().process("mesh-node-search-2");
        assertThat(node.jar()).isEqualTo(HOME.resolve("mesh-node/target/mesh-node.jar"));
        assertThat(node.args()).contains("--server.port=15200", "--mesh.node.service=search", "--mesh.node.instance-id=search-2",
                "--mesh.node.version=v1", "--mesh.node.zone=local", "--mesh.node.advertised-host=127.0.0.1",
                "--mesh.listeners.outbound.port=15201", "--mesh.listeners.inbound.port=15206", "--mesh.app.port=9102",
                "--mesh.registry.url=http://127.0.0.1:8761/eureka", "--mesh.config-server.url=http://127.0.0.1:8888");
        assertThat(node.healthUrls()).containsExactly(URI.create("http://127.0.0.1:15200/actuator/health/readiness"));
        // HOME has no mesh-node/jvm.options: the role's stand-ins
        assertThat(node.jvmOptions()).containsExactly("-Xmx48m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=32m");
    }

    @Test
    void nodesTakeTheirJvmOptionsFromTheFileTheContainerImageUses(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("mesh-node"));
        Files.writeString(home.resolve(NodeJvmOptions.FILE), """
                # the heap cap
                -Xmx40m
                -XX:+UseSerialGC   -Dsome.flag=1  # why, briefly

                -XX:MaxDirectMemorySize=32m
                """);
        Topology topology = Topology.builder(home).jvmOptionsFor("mesh-node-calc-1", "-Xmx64m").build();
        assertThat(topology.process("mesh-node-calc-1").jvmOptions())
                .containsExactly("-Xmx40m", "-XX:+UseSerialGC", "-Dsome.flag=1", "-XX:MaxDirectMemorySize=32m", "-Xmx64m");
        assertThat(topology.process("gateway").jvmOptions()).doesNotContain("-Dsome.flag=1");
    }

    @Test
    void theOtherProcessesGetTheirContractArguments() {
        Topology topology = Topology.builder(HOME).gatewayPort(18080).build();
        assertThat(topology.process("config-server").args())
                .contains("--server.port=8888", "--mesh.config.repo=" + HOME.resolve("src/config-repo"));
        assertThat(topology.process("config-server").jvmOptions()).contains("-Xmx256m", "-XX:TieredStopAtLevel=1");
        assertThat(topology.process("registry").args()).contains("--server.port=8761", "--mesh.config-server.url=http://127.0.0.1:8888");
        assertThat(topology.process("gateway").args()).contains("--server.port=18080",
                "--mesh.registry.url=http://127.0.0.1:8761/eureka", "--mesh.config-server.url=http://127.0.0.1:8888");
        assertThat(topology.process("gateway").jvmOptions()).contains("-Xmx256m").doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(topology.process("samples").args()).containsExactly(
                "--workload=name=planner,instance=planner-1,host=127.0.0.1,port=9001,version=v1,outbound=http://127.0.0.1:15001",
                "--workload=name=search,instance=search-1,host=127.0.0.1,port=9101,version=v1,outbound=http://127.0.0.1:15101",
                "--workload=name=search,instance=search-2,host=127.0.0.1,port=9102,version=v1,outbound=http://127.0.0.1:15201",
                "--workload=name=calc,instance=calc-1,host=127.0.0.1,port=9201,version=v1,outbound=http://127.0.0.1:15301");
        assertThat(topology.process("samples").healthUrls()).hasSize(4);
        assertThat(topology.process("samples").jvmOptions()).contains("-Xmx96m", "-XX:+UseSerialGC");
    }

    @Test
    void basesMoveWholeBlocksOfPorts() {
        Topology topology = Topology.builder(HOME).nodePortBase(20000).appPortBase(30000).build();
        assertThat(topology.node("calc-1")).isEqualTo(new MeshNode("calc", "calc-1", "v1", "local", 20300, 20301, 20306, 30201));
    }

    @Test
    void jvmOptionsForOneProcessComeLastSoTheyWin() {
        Topology topology = Topology.builder(HOME)
                .jvmOptions("-Dio.netty.leakDetection.level=paranoid")
                .jvmOptionsFor("mesh-node-planner-1", "-Xmx64m", "-XX:MaxDirectMemorySize=32m")
                .build();
        assertThat(topology.process("mesh-node-planner-1").jvmOptions()).containsExactly("-Xmx48m", "-XX:+UseSerialGC",
                "-XX:MaxDirectMemorySize=32m", "-Dio.netty.leakDetection.level=paranoid", "-Xmx64m", "-XX:MaxDirectMemorySize=32m");
        assertThat(topology.process("mesh-node-search-1").jvmOptions()).doesNotContain("-Xmx64m")
                .contains("-Dio.netty.leakDetection.level=paranoid");
        assertThat(topology.process("gateway").command(Path.of("/jdk/bin/java")))
                .startsWith("/jdk/bin/java", "-Xmx256m")
                .containsSubsequence("-Dio.netty.leakDetection.level=paranoid", "-jar", HOME.resolve("gateway/target/gateway.jar").toString(),
                        "--server.address=127.0.0.1");
    }

    @Test
    void rejectsOptionsForAnUnknownProcessAndPortsOffTheRange() {
        assertThatThrownBy(() -> Topology.builder(HOME).jvmOptionsFor("mesh-node-planner-9", "-Xmx1m").build())
                .hasMessageStartingWith("JVM options given for unknown process 'mesh-node-planner-9'; processes: config-server, registry");
        assertThatThrownBy(() -> Topology.builder(HOME).nodePortBase(65300).build())
                .hasMessage("--node-port-base must be between 1 and 65229 (the layout needs ports up to base+306), was 65300");
        assertThatThrownBy(() -> Topology.builder(HOME).gatewayPort(0).build())
                .hasMessage("--gateway-port must be between 1 and 65535, was 0");
    }

    @Test
    void freePortsAreAllDistinct() {
        Topology topology = Topology.builder(HOME).freePorts().build();
        List<PortClaim> claims = topology.portClaims();
        Set<Integer> distinct = new HashSet<>();
        claims.forEach(claim -> distinct.add(claim.port()));
        assertThat(claims).hasSize(3 + 4 * 4);
        assertThat(distinct).hasSameSizeAs(claims);
        assertThat(topology.gatewayPort()).isNotEqualTo(Topology.DEFAULT_GATEWAY_PORT);
    }

    @Test
    void theControlPlaneStartsFirstAndTheEdgeWithTheNodesLast() {
        List<List<ProcessSpec>> waves = Topology.builder(HOME).build().waves();
        assertThat(waves).hasSize(3);
        assertThat(waves.get(0)).extracting(ProcessSpec::name).containsExactly("config-server", "registry");
        assertThat(waves.get(1)).extracting(ProcessSpec::name).containsExactly("samples");
        assertThat(waves.get(2)).extracting(ProcessSpec::name).endsWith("gateway").hasSize(5);
    }

    @Test
    void theStartTimeoutScalesWithCores() {
        assertThat(Topology.defaultStartTimeout().toSeconds()).isBetween(120L, 360L);
    }
}
