package dev.meshgate.node.app;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import dev.meshgate.core.discovery.InstanceMetadata;
import dev.meshgate.node.discovery.ServiceDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory directory for tests: snapshots set by the test, lookups answered from a second map. */
public final class StaticServiceDirectory implements ServiceDirectory {

    private static final Map<String, String> NODE = Map.of(
            InstanceMetadata.MESH, "true", InstanceMetadata.PEER_LINK, InstanceMetadata.PEER_LINK_H2C);

    private final Map<String, EndpointSet> snapshot = new ConcurrentHashMap<>();
    private final Map<String, EndpointSet> registry = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile boolean registryDown;

    /** The service is in the snapshot, served by loopback endpoints on these ports (plain HTTP/1.1 servers). */
    public StaticServiceDirectory put(String service, int... ports) {
        snapshot.put(service, cluster(service, Map.of(), ports));
        return this;
    }

    /** The service is in the snapshot, served by mesh-nodes whose inbound listeners are on these ports. */
    public StaticServiceDirectory putNodes(String service, int... inboundPorts) {
        snapshot.put(service, cluster(service, NODE, inboundPorts));
        return this;
    }

    /** The service is unknown to the snapshot but the registry knows it. */
    public StaticServiceDirectory registryKnows(String service, int... ports) {
        registry.put(service, cluster(service, Map.of(), ports));
        return this;
    }

    public StaticServiceDirectory registryDown() {
        registryDown = true;
        return this;
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    public EndpointSet endpoints(String service) {
        return snapshot.get(service);
    }

    @Override
    public CompletableFuture<EndpointSet> lookup(String service) {
        lookups.incrementAndGet();
        if (registryDown) {
            return CompletableFuture.failedFuture(new java.net.ConnectException("Connection refused: 127.0.0.1:8761"));
        }
        return CompletableFuture.supplyAsync(() -> registry.getOrDefault(service, EndpointSet.empty(service)));
    }

    private static EndpointSet cluster(String service, Map<String, String> metadata, int... ports) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int port : ports) {
            endpoints.add(new Endpoint(service + "-" + port, "127.0.0.1", port, metadata));
        }
        return new EndpointSet(service, endpoints);
    }
}
