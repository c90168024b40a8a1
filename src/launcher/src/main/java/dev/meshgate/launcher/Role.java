package dev.meshgate.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * What a process is in the topology. The role fixes its start wave (control plane first, the edge
 * last), its heap cap and its health endpoint.
 */
public enum Role {
    CONFIG_SERVER(0, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto")),
    REGISTRY(0, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto")),
    SAMPLES(1, List.of("-Xmx96m", "-XX:+UseSerialGC", "-Xshare:auto")),
    // the full set, each option explained, is mesh-node/jvm.options; these stand in when it is missing
    MESH_NODE(2, List.of("-Xmx48m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=32m")),
    // the edge carries the parallel load: it keeps the JVM's default collector and full JIT
    GATEWAY(2, List.of("-Xmx256m", "-Xshare:auto"));

    private final int wave;
    private final List<String> defaultJvmOptions;

    Role(int wave, List<String> defaultJvmOptions) {
        this.wave = wave;
        this.defaultJvmOptions = defaultJvmOptions;
    }

    /** Processes of a lower wave are ready before any of a higher wave starts. */
    public int wave() {
        return wave;
    }

    /** The built-in options: what a role runs with when nothing more specific is configured. */
    public List<String> defaultJvmOptions() {
        return defaultJvmOptions;
    }

    /**
     * The options a process of this role runs with from the repository at {@code home}: a node's come
     * from mesh-node/jvm.options (shared with the container image), the others' are built in.
     */
    public List<String> jvmOptions(Path home) {
        return this == MESH_NODE ? NodeJvmOptions.read(home) : defaultJvmOptions;
    }
}
