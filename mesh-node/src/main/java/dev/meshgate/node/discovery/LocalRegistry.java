package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * This node's copy of the registry at instance level: every instance of every application with its
 * status, whether UP or not, because deltas name instances and Eureka's reconcile hash counts them
 * all. A full answer replaces it, a delta answer is applied to it, and the reconcile hash says
 * whether it still matches the registry. Not thread-safe: the directory changes it under its lock.
 */
final class LocalRegistry {

    private static final String STATUS_DELIMITER = "_";

    /** lower-case application name -> instance id -> instance; each inner map immutable, so small apps stay small */
    private final Map<String, Map<String, RegistryInstance>> applications = new HashMap<>();

    /** Replaces everything with a full answer's instances. */
    void replaceAll(Map<String, List<RegistryInstance>> fetched) {
        applications.clear();
        fetched.forEach((name, instances) -> {
            Map<String, RegistryInstance> byId = new HashMap<>(instances.size() * 2);
            instances.forEach(instance -> byId.put(instance.id(), instance));
            applications.put(name, Map.copyOf(byId));
        });
    }

    /**
     * Applies a delta answer's changes: ADDED and MODIFIED instances are put as listed, DELETED ones
     * removed, and an application left without instances is dropped, as Eureka's client does.
     * Returns the names of the applications the delta touched.
     *
     * @throws RegistryException when an instance has no known action; the local registry may then be
     *                           partly changed and must be replaced by a full answer
     */
    Set<String> apply(Map<String, List<RegistryInstance>> delta) {
        delta.forEach((name, changes) -> {
            Map<String, RegistryInstance> instances = new HashMap<>(applications.getOrDefault(name, Map.of()));
            for (RegistryInstance change : changes) {
                if (change.action() == null) {
                    throw new RegistryException("registry delta lists instance " + change.id() + " of " + name
                            + " without an actionType of ADDED, MODIFIED or DELETED");
                }
                if (change.action() == RegistryInstance.Action.DELETED) {
                    instances.remove(change.id());
                } else {
                    instances.put(change.id(), change);
                }
            }
            if (instances.isEmpty()) {
                applications.remove(name);
            } else {
                applications.put(name, Map.copyOf(instances));
            }
        });
        return delta.keySet();
    }

    /** The application's UP endpoints sorted by instance id; empty when it has none or is not listed. */
    List<Endpoint> upEndpoints(String name) {
        return EurekaJson.upEndpoints(applications.getOrDefault(name, Map.of()).values());
    }

    Set<String> applicationNames() {
        return applications.keySet();
    }

    /**
     * Eureka's reconcile hash ({@code Applications.getReconcileHashCode}) of this copy: every
     * instance of every application counted by status, whatever the status, and written as
     * {@code STATUS_count_} for each status in name order, e.g. {@code DOWN_1_UP_5_}; empty when no
     * instance is listed. Equal to the registry's {@code apps__hashcode} when the copy matches.
     */
    String reconcileHash() {
        // counters, not boxed Integers: counting 10,000 instances allocates nothing per instance
        Map<String, int[]> countsByStatus = new TreeMap<>();
        for (Map<String, RegistryInstance> instances : applications.values()) {
            for (RegistryInstance instance : instances.values()) {
                countsByStatus.computeIfAbsent(instance.status(), status -> new int[1])[0]++;
            }
        }
        StringBuilder hash = new StringBuilder(75);
        countsByStatus.forEach((status, count) -> hash.append(status).append(STATUS_DELIMITER).append(count[0]).append(STATUS_DELIMITER));
        return hash.toString();
    }
}
