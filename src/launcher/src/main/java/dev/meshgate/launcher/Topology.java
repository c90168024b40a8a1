package dev.meshgate.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The local topology of docs/architecture.md as a list of process specs: config server and
 * registry, one samples JVM hosting the four workloads, a mesh-node per workload, and the gateway.
 * Built with {@link #builder(Path)}; {@link #start()} runs it.
 */
public final class Topology {

    /** The mesh-node jar as the build leaves it, relative to the repository root. */
    static final String NODE_JAR = "mesh-node/target/mesh-node.jar";

    public static final int DEFAULT_GATEWAY_PORT = 8080;
    public static final int DEFAULT_CONFIG_PORT = 8888;
    public static final int DEFAULT_REGISTRY_PORT = 8761;
    public static final int DEFAULT_NODE_PORT_BASE = 15000;
    public static final int DEFAULT_APP_PORT_BASE = 9000;
    /** Each node takes a block of this many ports: admin +0, outbound +1, inbound +6. */
    public static final int NODE_PORT_STEP = 100;
    public static final int ADMIN_OFFSET = 0;
    public static final int OUTBOUND_OFFSET = 1;
    public static final int INBOUND_OFFSET = 6;
    public static final String DEFAULT_ZONE = "local";
    public static final String DEFAULT_VERSION = "v1";
    public static final String GATEWAY_PROBE_PATH = "/planner/plan?task=probe";

    /** A workload of the default layout: its service, instance and app port relative to the app base. */
    private record Workload(String service, String instanceId, int appOffset) {
    }

    private static final List<Workload> DEFAULT_WORKLOADS = List.of(
            new Workload("planner", "planner-1", 1),
            new Workload("search", "search-1", 101),
            new Workload("search", "search-2", 102),
            new Workload("calc", "calc-1", 201));

    private final Path home;
    private final Path runDir;
    private final Path logDir;
    private final int gatewayPort;
    private final int configPort;
    private final int registryPort;
    private final List<MeshNode> nodes;
    private final List<ProcessSpec> processes;
    private final Duration startTimeout;
    private final Path javaExecutable;
    private final Path jarCopyDir;
    private final boolean classArchive;

    private Topology(Builder builder, List<MeshNode> nodes, List<ProcessSpec> processes) {
        this.home = builder.home;
        this.runDir = builder.runDir;
        this.logDir = builder.logDir;
        this.gatewayPort = builder.gatewayPort;
        this.configPort = builder.configPort;
        this.registryPort = builder.registryPort;
        this.nodes = List.copyOf(nodes);
        this.processes = List.copyOf(processes);
        this.startTimeout = builder.startTimeout;
        this.javaExecutable = builder.javaExecutable;
        this.jarCopyDir = builder.copyJars ? runDir.resolve("jars") : null;
        this.classArchive = builder.classArchive;
    }

    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /** Starts every process and waits until the whole topology answers; see {@link Launcher}. */
    public RunningTopology start() {
        return new Launcher(this).start();
    }

    /** 180 s on 2 cores, less on more: start-up is CPU-bound, a dozen JVMs warming up at once. */
    public static Duration defaultStartTimeout() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return Duration.ofSeconds(Math.max(120, 360 / cores));
    }

    public Path home() {
        return home;
    }

    public Path runDir() {
        return runDir;
    }

    public Path logDir() {
        return logDir;
    }

    public int gatewayPort() {
        return gatewayPort;
    }

    public int configPort() {
        return configPort;
    }

    public int registryPort() {
        return registryPort;
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String configServerUrl() {
        return "http://127.0.0.1:" + configPort;
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    public List<MeshNode> nodes() {
        return nodes;
    }

    public MeshNode node(String instanceId) {
        return nodes.stream().filter(node -> node.instanceId().equals(instanceId)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no mesh-node " + instanceId + "; nodes: "
                        + nodes.stream().map(MeshNode::instanceId).collect(Collectors.joining(", "))));
    }

    public List<ProcessSpec> processes() {
        return processes;
    }

    public ProcessSpec process(String name) {
        return processes.stream().filter(spec -> spec.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no process " + name + "; processes: " + processNames(processes)));
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    public Path javaExecutable() {
        return javaExecutable;
    }

    /**
     * Where the jars are copied before they run, or null when they run where they were built. A
     * running Spring Boot jar loads classes lazily from its file: a rebuild overwriting it under a
     * running process breaks that process, so by default each run gets its own copies.
     */
    public Path jarCopyDir() {
        return jarCopyDir;
    }

    /** Whether mesh-nodes start with a class archive (recorded on first use into {@link #classArchiveDir()}). */
    public boolean classArchive() {
        return classArchive;
    }

    /** Where mesh-node class archives are kept, keyed by jar checksum and JDK version. */
    public Path classArchiveDir() {
        return classArchiveDir(runDir);
    }

    /** The java executable of the JVM running this launcher: what the topology's processes run unless told otherwise. */
    static Path runningJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Where a run directory keeps its class archives. */
    static Path classArchiveDir(Path runDir) {
        return runDir.resolve("cache");
    }

    /** The jar file a process actually runs. */
    public Path runnableJar(ProcessSpec spec) {
        return jarCopyDir == null ? spec.jar() : jarCopyDir.resolve(spec.jar().getFileName());
    }

    /** Every port of every process, in start order. */
    public List<PortClaim> portClaims() {
        return processes.stream().flatMap(spec -> spec.ports().stream()).toList();
    }

    /** The processes grouped by start wave, lowest first. */
    public List<List<ProcessSpec>> waves() {
        Map<Integer, List<ProcessSpec>> byWave = new LinkedHashMap<>();
        processes.stream().sorted(Comparator.comparingInt(spec -> spec.role().wave()))
                .forEach(spec -> byWave.computeIfAbsent(spec.role().wave(), wave -> new ArrayList<>()).add(spec));
        return List.copyOf(byWave.values());
    }

    private static String processNames(List<ProcessSpec> processes) {
        return processes.stream().map(ProcessSpec::name).collect(Collectors.joining(", "));
    }

    /** Configures a topology; every value is checked in {@link #build()}. */
    public static final class Builder {

        private final Path home;
        private Path runDir;
        private Path logDir;
        private int gatewayPort = DEFAULT_GATEWAY_PORT;
        private int configPort = DEFAULT_CONFIG_PORT;
        private int registryPort = DEFAULT_REGISTRY_PORT;
        private int nodePortBase = DEFAULT_NODE_PORT_BASE;
        private int appPortBase = DEFAULT_APP_PORT_BASE;
        private boolean freePorts;
        private final List<String> jvmOptionsForAll = new ArrayList<>();
        private final Map<String, List<String>> jvmOptionsByProcess = new LinkedHashMap<>();
        private Duration startTimeout = defaultStartTimeout();
        private Path javaExecutable = runningJava();
        private boolean copyJars = true;
        private boolean classArchive = true;

        private Builder(Path home) {
            this.home = home.toAbsolutePath().normalize();
        }

        /** Where the state file and logs go (default {@code <home>/.mesh}). */
        public Builder runDir(Path runDir) {
            this.runDir = runDir.toAbsolutePath().normalize();
            return this;
        }

        /** Where the process logs go (default {@code <runDir>/logs}). */
        public Builder logDir(Path logDir) {
            this.logDir = logDir.toAbsolutePath().normalize();
            return this;
        }

        public Builder gatewayPort(int port) {
            this.gatewayPort = port;
            return this;
        }

        public Builder configPort(int port) {
            this.configPort = port;
            return this;
        }

        public Builder registryPort(int port) {
            this.registryPort = port;
            return this;
        }

        /** Node {@code i} (0-based) takes base + 100·i + {0 admin, 1 outbound, 6 inbound}. */
        public Builder nodePortBase(int base) {
            this.nodePortBase = base;
            return this;
        }

        /** planner-1 base+1, search-1 base+101, search-2 base+102, calc-1 base+201. */
        public Builder appPortBase(int base) {
            this.appPortBase = base;
            return this;
        }

        /** Every port picked free on loopback at build time, in place of the fixed layout (tests). */
        public Builder freePorts() {
            this.freePorts = true;
            return this;
        }

        /** JVM options added to every process, after the role's defaults. */
        public Builder jvmOptions(String... options) {
            jvmOptionsForAll.addAll(List.of(options));
            return this;
        }

        /** JVM options for one process, after every other option, so they win (e.g. a smaller -Xmx). */
        public Builder jvmOptionsFor(String processName, String... options) {
            jvmOptionsByProcess.computeIfAbsent(processName, name -> new ArrayList<>()).addAll(List.of(options));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Whether to run copies of the jars (the default) so that rebuilding cannot break running processes. */
        public Builder copyJars(boolean copy) {
            this.copyJars = copy;
            return this;
        }

        /** Whether mesh-nodes start with a class archive (AppCDS, or an AOT cache on JDK 25+); on by default. */
        public Builder classArchive(boolean use) {
            this.classArchive = use;
            return this;
        }

        public Builder javaExecutable(Path java) {
            this.javaExecutable = java;
            return this;
        }

        public Topology build() {
            if (runDir == null) {
                runDir = home.resolve(".mesh");
            }
            if (logDir == null) {
                logDir = runDir.resolve("logs");
            }
            if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("start timeout must be positive, was " + startTimeout);
            }
            List<Integer> appPorts = new ArrayList<>();
            List<int[]> nodePorts = new ArrayList<>();
            if (freePorts) {
                List<Integer> free = LoopbackPorts.free(3 + DEFAULT_WORKLOADS.size() * 4);
                gatewayPort = free.get(0);
                configPort = free.get(1);
                registryPort = free.get(2);
                for (int i = 0; i < DEFAULT_WORKLOADS.size(); i++) {
                    int at = 3 + i * 4;
                    appPorts.add(free.get(at));
                    nodePorts.add(new int[] {free.get(at + 1), free.get(at + 2), free.get(at + 3)});
                }
            } else {
                requirePort("--gateway-port", gatewayPort);
                requirePort("--config-port", configPort);
                requirePort("--registry-port", registryPort);
                requireBase("--node-port-base", nodePortBase, NODE_PORT_STEP * (DEFAULT_WORKLOADS.size() - 1) + INBOUND_OFFSET);
                int widestApp = DEFAULT_WORKLOADS.stream().mapToInt(Workload::appOffset).max().orElse(0);
                requireBase("--app-port-base", appPortBase, widestApp);
                for (int i = 0; i < DEFAULT_WORKLOADS.size(); i++) {
                    appPorts.add(appPortBase + DEFAULT_WORKLOADS.get(i).appOffset());
                    int block = nodePortBase + NODE_PORT_STEP * i;
                    nodePorts.add(new int[] {block + ADMIN_OFFSET, block + OUTBOUND_OFFSET, block + INBOUND_OFFSET});
                }
            }
            List<MeshNode> nodes = new ArrayList<>();
            for (int i = 0; i < DEFAULT_WORKLOADS.size(); i++) {
                Workload workload = DEFAULT_WORKLOADS.get(i);
                int[] ports = nodePorts.get(i);
                nodes.add(new MeshNode(workload.service(), workload.instanceId(), DEFAULT_VERSION, DEFAULT_ZONE,
                        ports[0], ports[1], ports[2], appPorts.get(i)));
            }
            List<ProcessSpec> processes = processes(nodes);
            for (String name : jvmOptionsByProcess.keySet()) {
                if (processes.stream().noneMatch(spec -> spec.name().equals(name))) {
                    throw new IllegalArgumentException("JVM options given for unknown process '" + name
                            + "'; processes: " + processNames(processes));
                }
            }
            return new Topology(this, nodes, processes);
        }

        private List<ProcessSpec> processes(List<MeshNode> nodes) {
            String registryUrl = "http://127.0.0.1:" + registryPort;
            String registryApi = registryUrl + "/eureka";
            String configUrl = "http://127.0.0.1:" + configPort;
            String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
            List<ProcessSpec> specs = new ArrayList<>();

            specs.add(spec("config-server", Role.CONFIG_SERVER, home.resolve("config-server/target/config-server.jar"),
                    List.of("--server.address=127.0.0.1", "--server.port=" + configPort,
                            "--mesh.config.repo=" + home.resolve("src/config-repo")),
                    List.of(URI.create(configUrl + "/actuator/health")),
                    List.of(new PortClaim(configPort, "config-server", "--config-port"))));

            specs.add(spec("registry", Role.REGISTRY, home.resolve("registry/target/registry.jar"),
                    List.of("--server.address=127.0.0.1", "--server.port=" + registryPort,
                            "--mesh.config-server.url=" + configUrl),
                    List.of(URI.create(registryUrl + "/actuator/health")),
                    List.of(new PortClaim(registryPort, "registry", "--registry-port"))));

            List<String> workloadArgs = new ArrayList<>();
            List<URI> workloadHealth = new ArrayList<>();
            List<PortClaim> workloadPorts = new ArrayList<>();
            for (MeshNode node : nodes) {
                workloadArgs.add("--workload=name=" + node.service() + ",instance=" + node.instanceId()
                        + ",host=127.0.0.1,port=" + node.appPort() + ",version=" + node.version()
                        + ",outbound=" + node.outboundUrl());
                workloadHealth.add(URI.create(node.appUrl() + "/health"));
                workloadPorts.add(new PortClaim(node.appPort(), node.instanceId() + " app", "--app-port-base"));
            }
            specs.add(spec("samples", Role.SAMPLES, home.resolve("src/samples/target/samples.jar"),
                    workloadArgs, workloadHealth, workloadPorts));

            for (MeshNode node : nodes) {
                String owner = "mesh-node " + node.instanceId();
                specs.add(spec(node.processName(), Role.MESH_NODE, home.resolve(NODE_JAR),
                        List.of("--server.address=127.0.0.1",
                                "--server.port=" + node.adminPort(),
                                "--mesh.node.service=" + node.service(),
                                "--mesh.node.instance-id=" + node.instanceId(),
                                "--mesh.node.version=" + node.version(),
                                "--mesh.node.zone=" + node.zone(),
                                "--mesh.node.advertised-host=127.0.0.1",
                                "--mesh.listeners.outbound.port=" + node.outboundPort(),
                                "--mesh.listeners.inbound.port=" + node.inboundPort(),
                                "--mesh.app.port=" + node.appPort(),
                                "--mesh.registry.url=" + registryApi,
                                "--mesh.config-server.url=" + configUrl),
                        List.of(URI.create(node.adminUrl() + "/actuator/health/readiness")),
                        List.of(new PortClaim(node.adminPort(), owner + " admin", "--node-port-base"),
                                new PortClaim(node.outboundPort(), owner + " outbound", "--node-port-base"),
                                new PortClaim(node.inboundPort(), owner + " inbound", "--node-port-base"))));
            }

            specs.add(spec("gateway", Role.GATEWAY, home.resolve("gateway/target/gateway.jar"),
                    List.of("--server.address=127.0.0.1", "--server.port=" + gatewayPort,
                            "--mesh.registry.url=" + registryApi, "--mesh.config-server.url=" + configUrl),
                    List.of(URI.create(gatewayUrl + "/actuator/health")),
                    List.of(new PortClaim(gatewayPort, "gateway", "--gateway-port"))));
            return specs;
        }

        private ProcessSpec spec(String name, Role role, Path jar, List<String> args, List<URI> health, List<PortClaim> ports) {
            List<String> jvmOptions = new ArrayList<>(role.jvmOptions(home));
            jvmOptions.addAll(jvmOptionsForAll);
            jvmOptions.addAll(Optional.ofNullable(jvmOptionsByProcess.get(name)).orElse(List.of()));
            return new ProcessSpec(name, role, jar, jvmOptions, args, health, logDir.resolve(name + ".log"), ports);
        }

        private static void requirePort(String flag, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(flag + " must be between 1 and 65535, was " + port);
            }
        }

        private static void requireBase(String flag, int base, int widestOffset) {
            if (base < 1 || base + widestOffset > 65535) {
                throw new IllegalArgumentException(flag + " must be between 1 and " + (65535 - widestOffset)
                        + " (the layout needs ports up to base+" + widestOffset + "), was " + base);
            }
        }
    }

    /** The jars this topology runs that are not built yet. */
    public List<ProcessSpec> missingJars() {
        return processes.stream().filter(spec -> !Files.isRegularFile(spec.jar())).toList();
    }
}
