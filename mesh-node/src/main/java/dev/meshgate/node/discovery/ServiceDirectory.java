package dev.meshgate.node.discovery;

import dev.meshgate.core.balance.RoundRobin;
import dev.meshgate.core.discovery.Endpoint;

import java.util.concurrent.CompletableFuture;

/**
 * Where the outbound path learns a cluster's endpoints. The hot path reads an in-memory snapshot
 * ({@link #cluster}) and never blocks; only a cluster it has never seen goes to the registry
 * ({@link #lookup}). The snapshot outlives a registry outage: the last known endpoints keep serving.
 */
public interface ServiceDirectory {

    /**
     * The cluster's endpoints as last seen, with a shared round-robin picker; null when the cluster
     * has never been seen. An empty picker means the registry says nobody serves it.
     */
    RoundRobin<Endpoint> cluster(String service);

    /**
     * Asks the registry about a cluster the snapshot lacks. Completes (on any thread) with its
     * endpoints, possibly none; completes exceptionally only when the registry cannot be reached.
     */
    CompletableFuture<RoundRobin<Endpoint>> lookup(String service);
}
