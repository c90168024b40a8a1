package dev.meshgate.core.discovery;

import java.util.List;
import java.util.Objects;

/**
 * The endpoints of one cluster as discovery last saw them: an immutable value, shared by every
 * reader of a snapshot, with no picking state of its own (balancers keep that, by service name, so
 * a refreshed set carries on the rotation of the one it replaces).
 *
 * @param service   the cluster's name as the directory keys it
 * @param endpoints in the discovery source's order (the registry directory sorts by instance id),
 *                  ready or not
 */
public record EndpointSet(String service, List<Endpoint> endpoints) {

    public EndpointSet {
        Objects.requireNonNull(service, "service");
        if (service.isBlank()) {
            throw new IllegalArgumentException("service must not be blank, was '" + service + "'");
        }
        Objects.requireNonNull(endpoints, "endpoints of service '" + service + "'");
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i) == null) {
                throw new IllegalArgumentException("endpoint " + i + " of service '" + service + "' is null");
            }
        }
        // returns the same list when it is already an immutable copy: no copy per refresh
        endpoints = List.copyOf(endpoints);
    }

    /** The registry says nobody serves {@code service}. */
    public static EndpointSet empty(String service) {
        return new EndpointSet(service, List.of());
    }

    public boolean isEmpty() {
        return endpoints.isEmpty();
    }

    public int size() {
        return endpoints.size();
    }

    public Endpoint get(int index) {
        return endpoints.get(index);
    }
}
