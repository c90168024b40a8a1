package dev.meshgate.core.discovery;

/**
 * Metadata keys every mesh participant registers with, and every consumer (gateway, mesh-node,
 * tests) reads: one place, so the names never drift apart.
 */
public final class InstanceMetadata {

    /** The version label used by traffic splits (canary, blue-green). */
    public static final String VERSION = "version";
    /** The locality used by zone-aware load balancing; Spring Cloud reads the same key. */
    public static final String ZONE = "zone";
    /** The mesh-node's admin (actuator) port. */
    public static final String ADMIN_PORT = "admin-port";
    /** The mesh-node's outbound listener port, on the workload's loopback. */
    public static final String OUTBOUND_PORT = "outbound-port";
    /** Marks an instance as a mesh-node inbound listener (as opposed to a plain registered app). */
    public static final String MESH = "mesh";
    /**
     * The protocol the mesh-node's inbound listener speaks to other nodes besides HTTP/1.1:
     * {@link #PEER_LINK_H2C} for HTTP/2 with prior knowledge. Absent on older nodes and plain apps.
     */
    public static final String PEER_LINK = "peer-link";
    public static final String PEER_LINK_H2C = "h2c";
    /** The value a missing label reads as. */
    public static final String UNLABELLED = "unlabelled";

    private InstanceMetadata() {
    }
}
