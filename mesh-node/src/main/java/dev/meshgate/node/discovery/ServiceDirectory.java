package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.EndpointSet;

import java.util.concurrent.CompletableFuture;

/**
 * Where the outbound path learns a cluster's endpoints. The hot path reads an in-memory snapshot
 * ({@link #endpoints}) and never blocks; only a cluster it has never seen goes to the registry
 * ({@link #lookup}). The snapshot outlives a registry outage: the last known endpoints keep serving.
 * Which endpoint gets a request is a balancer's choice, not the directory's.
 */
public interface ServiceDirectory {

    /**
     * The cluster's endpoints as last seen; null when the cluster is not known (never seen, or not
     * seen recently enough to trust), so the caller should {@link #lookup} it. An empty set means the
     * registry says nobody serves it.
     */
    EndpointSet endpoints(String service);

    /**
     * Asks the registry about a cluster the snapshot lacks. Completes (on any thread) with its
     * endpoints, possibly none, never null; completes exceptionally only when the registry cannot be
     * reached.
     */
    CompletableFuture<EndpointSet> lookup(String service);
}
