package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import reactor.core.publisher.Mono;

import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry answering synchronously from a script: queued answers first, then a steady default.
 * For the loops' timing, tested on virtual time, where real I/O would race the clock.
 */
final class ScriptedRegistry implements RegistryApi {

    final Deque<Mono<Void>> registerAnswers = new ConcurrentLinkedDeque<>();
    final Deque<Mono<Boolean>> renewAnswers = new ConcurrentLinkedDeque<>();
    final Deque<Mono<RegistryApplications>> fetchAllAnswers = new ConcurrentLinkedDeque<>();
    volatile Mono<RegistryApplications> steadyFetchAll = Mono.just(upInstances(Map.of()));
    final Deque<Mono<RegistryApplications>> fetchDeltaAnswers = new ConcurrentLinkedDeque<>();
    /** An empty delta of an empty registry: set it to the hash of what the script's registry holds. */
    volatile Mono<RegistryApplications> steadyFetchDelta = Mono.just(delta("", Map.of()));
    final Deque<Mono<List<Endpoint>>> fetchClusterAnswers = new ConcurrentLinkedDeque<>();

    final AtomicInteger registers = new AtomicInteger();
    final AtomicInteger renewals = new AtomicInteger();
    final AtomicInteger deregistrations = new AtomicInteger();
    /** full fetches */
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger deltaFetches = new AtomicInteger();
    final AtomicInteger clusterFetches = new AtomicInteger();

    @Override
    public Mono<Void> register(InstanceRegistration registration) {
        return Mono.defer(() -> {
            registers.incrementAndGet();
            Mono<Void> answer = registerAnswers.poll();
            return answer != null ? answer : Mono.empty();
        });
    }

    @Override
    public Mono<Boolean> renew(InstanceRegistration registration) {
        return Mono.defer(() -> {
            renewals.incrementAndGet();
            Mono<Boolean> answer = renewAnswers.poll();
            return answer != null ? answer : Mono.just(true);
        });
    }

    /** What the registry was told about the instance's status, in order: true for UP, false for OUT_OF_SERVICE. */
    final List<Boolean> statusChanges = new CopyOnWriteArrayList<>();

    @Override
    public Mono<Void> setInService(InstanceRegistration registration, boolean inService) {
        return Mono.fromRunnable(() -> statusChanges.add(inService));
    }

    @Override
    public Mono<Void> deregister(InstanceRegistration registration) {
        return Mono.fromRunnable(deregistrations::incrementAndGet);
    }

    @Override
    public Mono<RegistryApplications> fetchAll() {
        return Mono.defer(() -> {
            fetches.incrementAndGet();
            Mono<RegistryApplications> answer = fetchAllAnswers.poll();
            return answer != null ? answer : steadyFetchAll;
        });
    }

    @Override
    public Mono<RegistryApplications> fetchDelta() {
        return Mono.defer(() -> {
            deltaFetches.incrementAndGet();
            Mono<RegistryApplications> answer = fetchDeltaAnswers.poll();
            return answer != null ? answer : steadyFetchDelta;
        });
    }

    /** Queued answers first; without one, the cluster as the steady full answer lists it. */
    @Override
    public Mono<List<Endpoint>> fetchCluster(String service) {
        return Mono.defer(() -> {
            clusterFetches.incrementAndGet();
            Mono<List<Endpoint>> answer = fetchClusterAnswers.poll();
            return answer != null ? answer : steadyFetchAll.map(all ->
                    EurekaJson.upEndpoints(all.applications().getOrDefault(service, List.of())));
        });
    }

    /**
     * A full answer listing these endpoints by cluster, every instance UP, with the reconcile hash the
     * registry would send (written out here, not computed by the code under test).
     */
    static RegistryApplications upInstances(Map<String, List<Endpoint>> clusters) {
        Map<String, List<RegistryInstance>> applications = new LinkedHashMap<>();
        clusters.forEach((name, endpoints) -> applications.put(name, endpoints.stream().map(ScriptedRegistry::up).toList()));
        int instances = clusters.values().stream().mapToInt(List::size).sum();
        return new RegistryApplications(applications, instances == 0 ? "" : "UP_" + instances + "_");
    }

    static RegistryApplications delta(String reconcileHash, Map<String, List<RegistryInstance>> changes) {
        return new RegistryApplications(changes, reconcileHash);
    }

    static RegistryInstance up(Endpoint endpoint) {
        return new RegistryInstance(endpoint.instanceId(), "UP", RegistryInstance.Action.ADDED, endpoint);
    }

    static RegistryInstance deleted(Endpoint endpoint) {
        return new RegistryInstance(endpoint.instanceId(), "UP", RegistryInstance.Action.DELETED, endpoint);
    }

    static Mono<Void> unreachable() {
        return Mono.error(new RegistryException("GET http://127.0.0.1:1/eureka failed: Connection refused"));
    }
}
