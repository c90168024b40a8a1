package dev.meshgate.launcher;

/** A mesh-node and the workload it fronts, with all their ports. */
public record MeshNode(
        String service,
        String instanceId,
        String version,
        String zone,
        int adminPort,
        int outboundPort,
        int inboundPort,
        int appPort) {

    /** The process name, also the log file's name. */
    public String processName() {
        return "mesh-node-" + instanceId;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    public String outboundUrl() {
        return "http://127.0.0.1:" + outboundPort;
    }

    public String inboundUrl() {
        return "http://127.0.0.1:" + inboundPort;
    }

    public String appUrl() {
        return "http://127.0.0.1:" + appPort;
    }
}
