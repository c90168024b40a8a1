package dev.meshgate.core.discovery;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * One instance of a cluster as the registry knows it: where its mesh-node's inbound listener
 * accepts, the labels it registered with ({@link InstanceMetadata}), and whether it takes traffic.
 *
 * @param ready false for an instance that is listed but must not get requests (starting, out of
 *              service, down); balancers skip it. Discovery sources that only list serving
 *              instances create every endpoint ready.
 */
public record Endpoint(String instanceId, String host, int port, Map<String, String> metadata, boolean ready) {

    public Endpoint {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A ready endpoint: what a discovery source that lists only serving instances creates. */
    public Endpoint(String instanceId, String host, int port, Map<String, String> metadata) {
        this(instanceId, host, port, metadata, true);
    }

    /** An unresolved address: resolution happens when connecting, so a DNS change is picked up. */
    public InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    public String version() {
        return metadata.getOrDefault(InstanceMetadata.VERSION, InstanceMetadata.UNLABELLED);
    }

    public String zone() {
        return metadata.getOrDefault(InstanceMetadata.ZONE, InstanceMetadata.UNLABELLED);
    }

    /** A mesh-node's inbound listener that takes the HTTP/2 link between nodes. */
    public boolean acceptsPeerLink() {
        return InstanceMetadata.PEER_LINK_H2C.equals(metadata.get(InstanceMetadata.PEER_LINK));
    }

    public String authority() {
        return host + ":" + port;
    }
}
