package dev.meshgate.node.discovery;

import dev.meshgate.core.discovery.Endpoint;
import dev.meshgate.core.discovery.EndpointSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The service directory backed by the registry, kept current the way Eureka's own client does it: a
 * full fetch first, then every refresh interval only the registry's delta, applied to an
 * instance-level {@link LocalRegistry} whose reconcile hash must then equal the registry's, or a full
 * fetch replaces it. Readers see an immutable snapshot of UP endpoints by cluster through one volatile
 * read; a refresh rebuilds only the clusters a delta touched, and swaps the snapshot only when one of
 * them changed. A cluster whose endpoints did not change keeps its {@link EndpointSet} instance.
 *
 * <p>The snapshot holds only clusters the registry knows: from fetches and deltas, and from lookups
 * that found endpoints (real services, which later deltas keep current). A name a lookup found
 * unknown goes into a bounded, expiring {@link UnknownServiceCache} instead, so requests for random
 * names neither grow the snapshot nor copy it. When the registry is unreachable the last snapshot
 * keeps serving: stale endpoints beat none.
 */
public final class EurekaServiceDirectory implements ServiceDirectory, SmartLifecycle {

    /** Starts before the listeners (lower phases start first) so the first fetch is under way when traffic arrives. */
    public static final int PHASE = -1000;
    /**
     * How many unknown names are remembered at most. Real callers ask for a handful of names a
     * registry lacks (typos, services not deployed yet); beyond that the names are likely random and
     * the oldest are dropped, costing one registry lookup when asked for again.
     */
    static final int UNKNOWN_SERVICES_CAPACITY = 1024;

    private static final Logger log = LoggerFactory.getLogger(EurekaServiceDirectory.class);

    private final RegistryApi registry;
    private final RegistryStatus status;
    private final Duration refreshInterval;
    private final Scheduler scheduler;
    private final Object snapshotWriteLock = new Object();
    private final ConcurrentHashMap<String, CompletableFuture<EndpointSet>> lookupsInFlight = new ConcurrentHashMap<>();
    private final UnknownServiceCache unknownServices;

    // Guarded by snapshotWriteLock.
    private final LocalRegistry localRegistry = new LocalRegistry();
    /** Clusters in the snapshot that only a lookup filled in: the local registry has no say on them yet. */
    private final Set<String> lookedUpOnly = new HashSet<>();
    /** True until a full fetch succeeds, and again once the local registry may differ from the registry. */
    private boolean fullFetchNeeded = true;
    /** A delta answer could not be used since the last one applied: said once at info, then at debug. */
    private boolean deltaUnusable;

    private volatile Map<String, EndpointSet> clusters = Map.of();
    private volatile Disposable refreshing;
    private volatile boolean failing;

    public EurekaServiceDirectory(RegistryApi registry, RegistryStatus status, Duration refreshInterval, Scheduler scheduler) {
        this(registry, status, refreshInterval, scheduler, System::nanoTime);
    }

    /**
     * @param nanoTime the monotonic clock that ages unknown names. They are remembered for one refresh
     *                 interval: a name that gets registered reaches the snapshot with the next delta
     *                 anyway, so an "unknown" answer is no staler than the snapshot itself.
     */
    EurekaServiceDirectory(RegistryApi registry, RegistryStatus status, Duration refreshInterval, Scheduler scheduler,
                           LongSupplier nanoTime) {
        this.registry = registry;
        this.status = status;
        this.refreshInterval = refreshInterval;
        this.scheduler = scheduler;
        this.unknownServices = new UnknownServiceCache(refreshInterval, UNKNOWN_SERVICES_CAPACITY, nanoTime);
    }

    @Override
    public EndpointSet endpoints(String service) {
        String name = normalize(service);
        EndpointSet known = clusters.get(name);
        // the snapshot wins: a name registered since it was found unknown is known from then on
        return known != null ? known : unknownServices.get(name);
    }

    @Override
    public CompletableFuture<EndpointSet> lookup(String service) {
        String name = normalize(service);
        CompletableFuture<EndpointSet> mine = new CompletableFuture<>();
        CompletableFuture<EndpointSet> shared = lookupsInFlight.putIfAbsent(name, mine);
        if (shared != null) {
            // a copy, so one caller cancelling its future cannot fail the others
            return shared.copy();
        }
        registry.fetchCluster(name)
                .defaultIfEmpty(List.of())
                .subscribe(endpoints -> {
                    EndpointSet cluster = merge(name, endpoints);
                    lookupsInFlight.remove(name, mine);
                    mine.complete(cluster);
                }, error -> {
                    recordFailure(error);
                    lookupsInFlight.remove(name, mine);
                    mine.completeExceptionally(error);
                });
        return mine.copy();
    }

    /** Every cluster currently known, by lower-case name; names only found unknown are not in it. */
    public Map<String, EndpointSet> snapshot() {
        return clusters;
    }

    /** How many names a lookup found unknown are remembered now: at most {@link #UNKNOWN_SERVICES_CAPACITY}. */
    int unknownServicesRemembered() {
        return unknownServices.size();
    }

    /**
     * One refresh: a delta applied to the local registry, or a full fetch when there is no trusted
     * local registry yet, the delta answer cannot be used or the reconcile hashes differ after it.
     * Emits the number of known clusters. On failure the snapshot stays as it was and the error is
     * recorded and propagated.
     */
    public Mono<Integer> refresh() {
        return Mono.defer(() -> isFullFetchNeeded() ? refreshAll() : refreshByDelta())
                .doOnError(this::recordFailure);
    }

    /** The refresh loop: now, then every refresh interval; never errors, failures are recorded. */
    public Flux<Integer> refreshPeriodically() {
        return Flux.interval(Duration.ZERO, refreshInterval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(error -> Mono.empty()), 1);
    }

    @Override
    public synchronized void start() {
        if (!isRunning()) {
            refreshing = refreshPeriodically().subscribe();
        }
    }

    @Override
    public synchronized void stop() {
        Disposable loop = refreshing;
        if (loop != null) {
            try {
                loop.dispose();
            } catch (RejectedExecutionException e) {
                // the shared HTTP loops were disposed first at shutdown: the fetch in flight died with them
                log.debug("registry fetch in flight ended with its event loop: {}", e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        Disposable loop = refreshing;
        return loop != null && !loop.isDisposed();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private boolean isFullFetchNeeded() {
        synchronized (snapshotWriteLock) {
            return fullFetchNeeded;
        }
    }

    private Mono<Integer> refreshAll() {
        return registry.fetchAll().map(this::replaceAll);
    }

    private Mono<Integer> refreshByDelta() {
        return registry.fetchDelta()
                .map(this::applyDelta)
                // An answer that cannot be used says the local registry may be off: start over from a
                // full one. No answer at all says nothing about it: the next delta will tell.
                .onErrorResume(error -> !(error instanceof RegistryUnreachableException), error -> {
                    deltaFailed(error);
                    return Mono.just(OptionalInt.empty());
                })
                .flatMap(applied -> applied.isPresent() ? Mono.just(applied.getAsInt()) : refreshAll());
    }

    private int replaceAll(RegistryApplications fetched) {
        synchronized (snapshotWriteLock) {
            localRegistry.replaceAll(fetched.applications());
            fullFetchNeeded = false;
            lookedUpOnly.clear();
            String localHash = localRegistry.reconcileHash();
            if (!localHash.equals(fetched.reconcileHash())) {
                // every delta will then fall back to a full fetch: worth knowing when tuning, not a failure
                log.debug("Full registry answer reads as reconcile hash {} but says {}", localHash, fetched.reconcileHash());
            }
            Map<String, EndpointSet> current = clusters;
            Set<String> names = localRegistry.applicationNames();
            Map<String, EndpointSet> next = new HashMap<>(Math.max(16, (names.size() + current.size()) * 2));
            names.forEach(name -> next.put(name, reuseOrCreate(name, current.get(name), localRegistry.upEndpoints(name))));
            // A cluster the registry no longer lists has no instances left; keeping it as empty (not
            // unknown) spares the hot path a registry lookup per request.
            current.forEach((name, cluster) -> next.computeIfAbsent(name, absent -> reuseOrCreate(name, cluster, List.of())));
            clusters = Map.copyOf(next);
            return fetched(next.size());
        }
    }

    /** The number of known clusters once the delta is applied; empty when a full fetch must replace the local registry. */
    private OptionalInt applyDelta(RegistryApplications delta) {
        synchronized (snapshotWriteLock) {
            if (fullFetchNeeded) {
                // a concurrent refresh found the local registry off while this delta was on its way
                return OptionalInt.empty();
            }
            // until the hashes agree: an exception or a mismatch leaves the local registry in doubt
            fullFetchNeeded = true;
            Set<String> touched = localRegistry.apply(delta.applications());
            String localHash = localRegistry.reconcileHash();
            if (!localHash.equals(delta.reconcileHash())) {
                // Expected now and then (a change that left the registry's delta window before this node
                // saw it, or a lookup answer newer than the delta), and a full fetch repairs it.
                log.debug("Registry delta leaves reconcile hash {} here but {} at the registry; fetching the whole registry",
                        localHash, delta.reconcileHash());
                return OptionalInt.empty();
            }
            fullFetchNeeded = false;
            deltaUnusable = false;
            publish(touched);
            return OptionalInt.of(fetched(clusters.size()));
        }
    }

    /** Rebuilds the touched clusters from the local registry; swaps the snapshot only when one of them changed. */
    private void publish(Set<String> touched) {
        Map<String, EndpointSet> current = clusters;
        Map<String, EndpointSet> changed = null;
        for (String name : touched) {
            lookedUpOnly.remove(name);
            EndpointSet existing = current.get(name);
            // an application whose last instance left stays as an empty cluster, as after a full fetch
            EndpointSet cluster = reuseOrCreate(name, existing, localRegistry.upEndpoints(name));
            if (cluster != existing) {
                if (changed == null) {
                    changed = new HashMap<>();
                }
                changed.put(name, cluster);
            }
        }
        if (changed != null) {
            Map<String, EndpointSet> next = new HashMap<>(current);
            next.putAll(changed);
            clusters = Map.copyOf(next);
        }
    }

    private int fetched(int knownClusters) {
        status.fetched(knownClusters);
        if (failing) {
            log.info("Registry reachable again; {} clusters known", knownClusters);
            failing = false;
        }
        return knownClusters;
    }

    private void deltaFailed(Throwable error) {
        synchronized (snapshotWriteLock) {
            fullFetchNeeded = true;
            if (!deltaUnusable) {
                log.info("Cannot use the registry's delta ({}); fetching the whole registry instead", error.getMessage());
                deltaUnusable = true;
            } else {
                log.debug("Registry delta unusable again: {}", error.getMessage());
            }
        }
    }

    /**
     * Puts a lookup's answer into the snapshot, unless the local registry already speaks for the
     * cluster: the answer may predate the last delta, and no later delta would correct it while the
     * cluster does not change again. The lookup is then answered with the snapshot's cluster. A name
     * new to the snapshot that has no endpoints is remembered as unknown, outside the snapshot.
     */
    private EndpointSet merge(String name, List<Endpoint> endpoints) {
        synchronized (snapshotWriteLock) {
            Map<String, EndpointSet> current = clusters;
            EndpointSet existing = current.get(name);
            if (existing != null && !lookedUpOnly.contains(name)) {
                return existing;
            }
            EndpointSet cluster;
            if (existing == null && endpoints.isEmpty()) {
                cluster = unknownServices.put(name);
            } else {
                // A real service: its copy costs one snapshot copy, once per service, not per request.
                cluster = reuseOrCreate(name, existing, endpoints);
                if (cluster != existing) {
                    Map<String, EndpointSet> next = new HashMap<>(current);
                    next.put(name, cluster);
                    clusters = Map.copyOf(next);
                }
                lookedUpOnly.add(name);
                unknownServices.remove(name);
            }
            status.fetched(clusters.size());
            return cluster;
        }
    }

    /** The existing set when its endpoints are unchanged, so an unchanged snapshot stays the same map. */
    private static EndpointSet reuseOrCreate(String name, EndpointSet existing, List<Endpoint> endpoints) {
        if (existing != null && existing.endpoints().equals(endpoints)) {
            return existing;
        }
        return new EndpointSet(name, endpoints);
    }

    private void recordFailure(Throwable error) {
        status.fetchFailed(error);
        if (!failing) {
            log.warn("Cannot fetch endpoints from the registry; serving the last known {} clusters: {}",
                    clusters.size(), error.getMessage());
            failing = true;
        } else {
            log.debug("Registry fetch failed again: {}", error.getMessage());
        }
    }

    private static String normalize(String service) {
        // returns the same instance when already lower-case: no allocation on the hot path
        return service.toLowerCase(Locale.ROOT);
    }
}
